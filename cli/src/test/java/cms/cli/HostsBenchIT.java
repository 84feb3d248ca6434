package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short form of {@code cms bench hosts}: its own code ({@link HostsBench#measure}) with one run on three
 * test hosts at the default liveness setting (5 s), held to the goals: the killed host LOST within 10 s,
 * its nodes ONLINE on the other hosts and each serving through the frontend within 15 s, no client request
 * failed. The bench's cluster, its pod and the killed host's return are the bench's, so the two cannot drift.
 */
class HostsBenchIT {

    @Test
    void oneHostLossIsDetectedWithin10SecondsAndServedAgainWithin15WithNoFailedRequest() throws Exception {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
        RealParts.require("network namespaces (root and iproute2's ip netns)", TestHosts::namespacesAvailable);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<HostLossRun.Result> results = new HostsBench(new PrintStream(printed, true, StandardCharsets.UTF_8))
                .measure(1, 3, Duration.ofSeconds(5));
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.print(report);

        assertEquals(1, results.size(), report);
        HostLossRun.Result r = results.get(0);
        assertEquals(2, r.moved().size(), "two nodes on the killed host: " + report);
        assertTrue(r.killed() >= 3, "its daemon and its two nodes killed: " + r);
        assertTrue(r.lost() > 0 && r.lost() <= HostsBench.GOAL_LOST.toSeconds(), "LOST after " + r.lost() + " s");
        assertTrue(r.lostSeen() <= HostsBench.GOAL_LOST.toSeconds() + 1, "on the API after " + r.lostSeen() + " s");
        assertTrue(r.online() >= r.lost() && r.online() <= HostsBench.GOAL_SERVING.toSeconds(),
                "replacements ONLINE after " + r.online() + " s");
        assertTrue(r.serving() <= HostsBench.GOAL_SERVING.toSeconds(), "serving after " + r.serving() + " s");
        assertEquals(0, r.failed(), "client requests through the frontend: " + r.failures());
        assertTrue(r.requests() >= 100, "requests flowed the whole run: " + r.requests());
        assertTrue(report.contains("LOST after") && report.contains("liveness 5000 ms"), report);
    }
}
