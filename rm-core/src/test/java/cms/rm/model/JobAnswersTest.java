package cms.rm.model;

import static cms.rm.model.JobFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cms.rm.model.JobBook.Answer;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What an HTTP answer through a pod's load balancer means for a job. */
class JobAnswersTest {

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 204, 299})
    void aSuccessIsDoneWithTheBodyAsResult(int status) {
        assertEquals(new Answer.Done("n1", json("{\"ok\":true}"), 12),
                JobAnswers.of(status, "n1", json("{\"ok\":true}"), 12));
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 503})
    void aGatewayErrorWithoutTheNodeHeaderIsTheBalancerSayingNoNodeAnswered(int status) {
        assertEquals(new Answer.NodeFailure("the load balancer answered " + status + " (no node answered)",
                status == 503), JobAnswers.of(status, null, TextNode.valueOf("<html>503 Service Unavailable</html>"), 5),
                "503: the balancer had no server up, so no node saw the job");
    }

    @Test
    void aGatewayTimeoutWithoutTheNodeHeaderIsTheBalancerGivingUpAtTheJobsLimitSoTheJobTimedOut() {
        assertEquals(new Answer.TimedOut(java.time.Duration.ofMillis(5_012)),
                JobAnswers.of(504, null, TextNode.valueOf("<html>504 Gateway Time-out</html>"), 5_012));
        assertEquals(5, ((Answer.TimedOut) JobAnswers.of(504, null, null, 5_012)).limit().toSeconds(),
                "the job's reason says: no answer within 5 s");
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 503, 504})
    void aGatewayErrorWithTheNodeHeaderIsTheWorkloadsOwnAnswer(int status) {
        assertEquals(new Answer.Refused("n1", status, "overloaded"),
                JobAnswers.of(status, "n1", json("{\"error\":\"overloaded\"}"), 5));
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 400, 404, 422, 500})
    void anyOtherStatusIsARefusalEvenWithoutTheHeader(int status) {
        assertEquals(new Answer.Refused(null, status, "no"), JobAnswers.of(status, null, TextNode.valueOf("no"), 5));
    }

    @Test
    void theMessageIsTheErrorFieldOrTheBodyOnOneLine() {
        assertEquals("bad input", message(json("{\"error\":\"bad input\",\"node\":\"n1\"}")));
        assertEquals("{\"reason\":\"x\"}", message(json("{\"reason\":\"x\"}")));
        assertEquals("[1,2]", message(json("[1,2]")));
        assertEquals("line one line two", message(TextNode.valueOf("  line one\n\n\tline two \n")));
        assertEquals("42", message(json("{\"error\":42}")));
        assertNull(message(null));
        assertNull(message(NullNode.getInstance()));
    }

    @Test
    void aLongMessageIsCutAt300Characters() {
        String m = message(TextNode.valueOf("x".repeat(301)));
        assertEquals("x".repeat(300) + "…", m);
        assertEquals("y".repeat(300), message(TextNode.valueOf("y".repeat(300))));
    }

    private static String message(com.fasterxml.jackson.databind.JsonNode body) {
        return ((Answer.Refused) JobAnswers.of(422, "n1", body, 1)).message();
    }
}
