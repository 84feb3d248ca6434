package cms.rm.model;

import cms.rm.model.JobBook.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;

/**
 * What an HTTP answer through a pod's load balancer means for a job. The demo workload (and any workload
 * that wants its node named) sets {@value #NODE_HEADER}; an answer with it came from the workload. An
 * answer without it and with 502 or 503 came from the balancer: no node answered (a node died with the
 * job, or none was up), so another node may take it. A 504 without it is the balancer giving up on a
 * node that took the job and did not answer within the job's time limit (which the balancer's server
 * timeout follows): the job timed out, and is not run again since the work may have been done.
 * Anything else is the workload's own answer.
 */
public final class JobAnswers {

    public static final String NODE_HEADER = "X-CMS-Node";
    private static final int MAX_MESSAGE = 300;

    private JobAnswers() {
    }

    /** {@code body} is the parsed JSON of the answer, or its text when it is not JSON. */
    public static Answer of(int status, String node, JsonNode body, long durationMs) {
        return of(status, node, body, durationMs, null);
    }

    /**
     * {@code bodyBytes} is the answer's whole size when {@code body} holds only its first bytes (as text),
     * null when the body is whole.
     */
    public static Answer of(int status, String node, JsonNode body, long durationMs, Long bodyBytes) {
        if (node == null && status == 504) {
            return new Answer.TimedOut(Duration.ofMillis(durationMs));
        }
        if (node == null && (status == 502 || status == 503)) {
            return new Answer.NodeFailure("the load balancer answered " + status + " (no node answered)", status == 503);
        }
        if (status >= 200 && status < 300) {
            return new Answer.Done(node, body, durationMs, bodyBytes);
        }
        return new Answer.Refused(node, status, message(body));
    }

    private static String message(JsonNode body) {
        if (body == null || body.isNull()) {
            return null;
        }
        JsonNode error = body.isObject() ? body.get("error") : null;
        String text = error != null ? error.asText() : body instanceof TextNode t ? t.asText() : body.toString();
        text = text.strip().replaceAll("\\s+", " ");
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
