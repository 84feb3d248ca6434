package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A host cut off from the network (its link down) for 30 s while its daemon and nodes run on: it is LOST
 * and its nodes are launched again on the other hosts; when the link is up again the host is READY and is
 * told to stop its copies, so exactly one copy of each node is left running, and it is the one the resource
 * manager and the balancer know. Client requests go on through the frontend the whole time; only one already
 * in flight to h2 when the link went down may time out.
 */
class PartitionIT extends OnTestHosts {

    private static final Duration CUT = Duration.ofSeconds(30);

    @Test
    void aHostCutOffFor30SecondsIsReplacedAndAfterTheHealExactlyOneCopyOfEachNodeRuns() throws Exception {
        start(3, Map.of("CMS_RM_HOST_LIVENESS_MS", "5000"));
        Assumptions.assumeTrue(cluster.hosts.canCut(), "loopback test hosts cannot be cut off");
        int frontend = TestCluster.freePort();
        Map<String, String> placed = cluster.sixNodes("light", frontend);
        Set<String> onH2 = placed.entrySet().stream().filter(e -> e.getValue().equals("h2")).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertEquals(Map.of("h1", 2, "h2", 2, "h3", 2), copies(), "two node processes in each host");
        LoadGen clients = cluster.closing(LoadGen.atRate(URI.create(cluster.frontend(frontend) + "/"), 20));
        await().atMost(Duration.ofSeconds(30)).until(() -> clients.ok.get() >= 40);

        long t0 = System.nanoTime();
        cluster.hosts.cut("h2");
        await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, String> online = cluster.onlineHosts("light");
            return online.size() == 6 && !online.containsValue("h2");
        });
        double replacedAfter = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, copies().get("h2"), "h2's copies run on while it is cut off");
        await().atMost(CUT.plusSeconds(5)).until(() -> System.nanoTime() - t0 >= CUT.toNanos());
        cluster.hosts.heal("h2");
        long healed = System.nanoTime();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> !copies()
                .containsKey("h2"));
        double stoppedAfter = (System.nanoTime() - healed) / 1e9;
        long okBefore = clients.ok.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.ok.get() >= okBefore + 40);
        clients.close();
        Map<String, String> online = cluster.onlineHosts("light");
        System.out.printf("partition of h2 for %d s: its nodes ONLINE on the other hosts after %.1f s; its own copies "
                        + "stopped %.1f s after the heal; %d client requests, %d failed (%s)%n", CUT.toSeconds(),
                replacedAfter, stoppedAfter, clients.ok.get() + clients.failed(), clients.failed(), clients.failures);
        assertEquals(6, online.size(), online.toString());
        assertTrue(online.keySet().containsAll(onH2) && !online.containsValue("h2"), online.toString());
        Map<String, Integer> perHost = copies();
        assertEquals(6, perHost.values().stream().mapToInt(Integer::intValue).sum(), "one copy of each node: " + perHost);
        Map<String, Integer> expected = new TreeMap<>();
        online.values().forEach(h -> expected.merge(h, 1, Integer::sum));
        assertEquals(expected, perHost, "each copy runs where the resource manager has it");
        // a request already sent to a node of h2 when the link went down waits for that node (HAProxy's server
        // timeout; the client's own is 20 s): at 20 requests a second, at most one or two are in flight then.
        // Every later request goes to the nodes that answer (redispatch, then health checks take h2's out).
        assertTrue(clients.failed() <= 2 && clients.failures.keySet().stream().allMatch(f -> f.contains("timed out")),
                "client requests through the frontend: " + clients.failures);
    }

    /** Node processes per test host (every process in its namespace but its daemon). */
    private Map<String, Integer> copies() {
        Map<String, Integer> out = new TreeMap<>();
        for (TestHosts.Host h : cluster.hosts.hosts()) {
            List<String> pids = new ArrayList<>(TestHosts.run("ip", "netns", "pids", h.namespace()).lines()
                    .filter(l -> !l.isBlank()).toList());
            int nodes = pids.size() - 1;
            if (nodes > 0) {
                out.put(h.id(), nodes);
            }
        }
        return out;
    }
}
