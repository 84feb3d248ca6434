package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The short form of {@code cms bench scale} in the suite: a real broker, the real resource manager (-Xmx1g) and
 * web in processes of their own, 100 fake hosts heartbeating every second and answering commands with node
 * events, 1 000 nodes in 10 pods placed through the admin API, 30 s of steady load, then one host dies. Every
 * node ends ONLINE as the API lists it, the admin GETs of the steady phase (pods, a pod's nodes, the live view)
 * answer with a p99 within 100 ms and none fails, the resource manager holds at most 512 MB of heap after a
 * full GC, and the dead host's nodes are replaced.
 */
class ScaleIT {

    @Test
    void aHundredHostsAndAThousandNodesArePlacedAndTheAdminApiAndTheHeapStayWithinTheirGoals() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
        // 30 s of steady load: ~360 admin GETs, so the p99 is not the second-slowest call of 120 (one slow moment of the
        // box made a 10 s run's p99 128 ms where five others read 41-65 ms)
        ScaleBench.Result r = new ScaleBench(out).measure(100, 1000, 30, 10);
        String report = text.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertEquals(1000, r.onlineInApi(), report);
        assertEquals(0, r.steadyFailed(), report);
        assertTrue(r.steadyP99() <= ScaleBench.ADMIN_P99_GOAL_MS, "admin p99 " + r.steadyP99() + " ms: " + report);
        assertTrue(r.rmHeapMb() >= 0 && r.rmHeapMb() <= ScaleBench.HEAP_GOAL_MB, "RM heap " + r.rmHeapMb() + " MB: "
                + report);
        assertTrue(r.movedNodes() > 0 && r.replacedSeconds() > r.lostSeconds(), report);
    }
}
