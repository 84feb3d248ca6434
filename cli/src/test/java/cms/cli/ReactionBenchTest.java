package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the reaction bench reads the p95 as back under the pod's limit. */
class ReactionBenchTest {

    private static final long S = 1_000_000_000L;

    /** Ten requests in each second {@code from} to {@code to}, each taking {@code ms}. */
    private static void second(List<LoadGen.Sent> sent, int from, int to, double ms, int status) {
        for (int sec = from; sec <= to; sec++) {
            for (int i = 0; i < 10; i++) {
                long at = sec * S + i * S / 10;
                sent.add(new LoadGen.Sent(at, at + (long) (ms * 1e6), status, status == 200 ? "n" : null));
            }
        }
    }

    @Test
    void theP95IsBackFromTheFirstSecondAfterTheDecisionThatStaysUnderTheLimit() {
        List<LoadGen.Sent> sent = new ArrayList<>();
        second(sent, 0, 2, 50, 200); // under the limit before the decision: does not count
        second(sent, 3, 5, 900, 200); // over
        second(sent, 6, 6, 80, 200); // under once …
        second(sent, 7, 7, 400, 200); // … then over again
        second(sent, 8, 12, 20, 200); // under for good
        assertEquals(8.0, ReactionBench.p95Back(sent, ReactionBench.LIGHT, 2 * S + 1, 0));
        assertTrue(Double.isNaN(ReactionBench.p95Back(sent, ReactionBench.LIGHT, 0, 0)), "no decision, no answer");
    }

    @Test
    void aFailedRequestCountsAsOverTheLimitAndALateStartIsNotBack() {
        List<LoadGen.Sent> sent = new ArrayList<>();
        second(sent, 0, 3, 20, 200);
        second(sent, 4, 4, 20, 503);
        assertTrue(Double.isNaN(ReactionBench.p95Back(sent, ReactionBench.LIGHT, S, 0)), "the last second failed");
        second(sent, 5, 6, 20, 200);
        assertEquals(5.0, ReactionBench.p95Back(sent, ReactionBench.LIGHT, S, 0));
    }
}
