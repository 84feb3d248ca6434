package cms.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class JobsBenchTest {

    @Test
    void theWarmUpLastsItsMinimumThenUntilTheJitSettlesAndNeverPastItsMaximum() {
        assertFalse(JobsBench.warmUpEnds(50, 0.2, 60, 300), "not before the minimum, however quiet the JIT");
        assertFalse(JobsBench.warmUpEnds(60, 4.5, 60, 300), "the JIT compiled 4.5 s in the last 10 s: not settled");
        assertFalse(JobsBench.warmUpEnds(60, Double.NaN, 60, 300), "a JIT that does not say is not taken as settled");
        assertTrue(JobsBench.warmUpEnds(60, JobsBench.JIT_SETTLED_SECONDS, 60, 300), "settled at the threshold");
        assertTrue(JobsBench.warmUpEnds(140, 0.3, 60, 300));
        assertTrue(JobsBench.warmUpEnds(300, 9.0, 60, 300), "the maximum ends it, settled or not");
        assertTrue(JobsBench.warmUpEnds(60, Double.NaN, 60, 60), "--warmup-max equal to --warmup: a fixed warm-up");
    }

    @Test
    void aMaximumBelowTheMinimumIsRefusedNamingTheOption() {
        var bench = new JobsBench(new PrintStream(new ByteArrayOutputStream()));
        var e = assertThrows(IllegalArgumentException.class, () -> bench.warmUp(1000, 120, 60));
        assertTrue(e.getMessage().contains("--warmup-max"), e.getMessage());
    }
}
