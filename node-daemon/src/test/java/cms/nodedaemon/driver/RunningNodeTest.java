package cms.nodedaemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The reason an exited node gives for its FAILED event. */
class RunningNodeTest {

    private static RunningNode exited(Integer code, boolean oom) {
        return new RunningNode("n1", "web", "c1", false, "10.0.0.7", 20000, code, oom, 1.0);
    }

    @Test
    void anExitedNodeGivesItsExitCode() {
        assertEquals("exited with code 137", exited(137, false).exitReason());
        assertEquals("exited with code 0", exited(0, false).exitReason());
        assertEquals("exited with code 1", exited(1, false).exitReason());
        assertEquals("exited (exit code unknown: it ended while its daemon was away)",
                exited(null, false).exitReason());
    }

    @Test
    void aNodeKilledByItsMemoryLimitSaysSoWhateverItsExitCode() {
        assertEquals("out of memory (killed by its memory limit)", exited(137, true).exitReason());
        assertEquals("out of memory (killed by its memory limit)", exited(null, true).exitReason());
    }
}
