package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Set;

/**
 * What the client reads of the live stream ({@code GET /api/stream}): where it is, and the JSON keys of its events,
 * all here. An event's data is the live view's envelope {@code {"seq", "kind", "pod", "ts", "event"}}, its
 * {@code event} the record as its topic's codec wrote it (a job event: {@code {"type": "JobSucceeded", "job_id": …}}, in the API's snake_case).
 */
final class StreamEvents {

    /** The envelope's key of the record. */
    static final String RECORD = "event";
    /** A record's key of its type name. */
    static final String TYPE = "type";
    /** A job event's key of its job. */
    static final String JOB_ID = "job_id";
    /** The type names of the three job events that end a job (cms.core.event.JobEvent#terminal). */
    static final Set<String> JOB_ENDS = Set.of("JobSucceeded", "JobFailed", "JobAborted");

    private StreamEvents() {
    }

    /** The stream of {@code kind} events (a {@code Kind} word: pods, nodes, jobs, …) about {@code pod} (null: all). */
    static String url(String baseUrl, String kind, String pod) {
        return baseUrl + "/api/stream?kind=" + kind + (pod == null ? "" : "&pod=" + ApiClient.segment(pod));
    }

    /** Whether {@code data} (an event's data) is the event that ends job {@code jobId}; false for anything else. */
    static boolean endsJob(String data, String jobId) {
        try {
            JsonNode record = JsonTrees.parse(data).path(RECORD);
            return jobId.equals(record.path(JOB_ID).asText(null)) && JOB_ENDS.contains(record.path(TYPE).asText());
        } catch (IOException e) {
            return false; // not JSON: no event of ours
        }
    }
}
