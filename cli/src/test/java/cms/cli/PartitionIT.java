package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.model.NodeState;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

    /** The link-down partition lasts as long as the issue asks (30 s); the Kafka-only cut needs only 3 × liveness. */
    private static final Duration CUT = Duration.ofSeconds(30);
    private static final Duration KAFKA_CUT = Duration.ofSeconds(15);
    private static final Duration LIVENESS = Duration.ofSeconds(5);

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
        assertOneCopyOfEachNodeOffH2(online, onH2);
        // a request already sent to a node of h2 when the link went down waits for that node (HAProxy's server
        // timeout; the client's own is 20 s): at 20 requests a second, at most one or two are in flight then.
        // Every later request goes to the nodes that answer (redispatch, then health checks take h2's out).
        assertTrue(clients.failed() <= 2 && clients.failures.keySet().stream().allMatch(f -> f.contains("timed out")),
                "client requests through the frontend: " + clients.failures);
    }

    /**
     * Only h2's traffic with the broker is cut, for 15 s, while its nodes stay reachable from the balancer, under
     * client requests (20 a second) and jobs (5 a second) through the frontend. The resource manager hears no
     * heartbeat: h2 is LOST after the liveness setting, its nodes are launched again on h1 and h3 and taken out
     * of the balancer (drained: h2's copies answer meanwhile, so no client request may fail). After the heal h2
     * is READY, is told to stop its copies, and exactly one copy of each node runs, where the resource manager
     * has it; every job ends once.
     */
    @Test
    void aHostCutOffFromKafkaOnlyServesUntilItsNodesAreReplacedAndAfterTheHealExactlyOneCopyOfEachNodeRuns()
            throws Exception {
        start(3, Map.of("CMS_RM_HOST_LIVENESS_MS", String.valueOf(LIVENESS.toMillis())));
        Assumptions.assumeTrue(cluster.hosts.canCut(), "loopback test hosts cannot be cut off");
        RealParts.require("iptables", KafkaCut::available);
        TestHosts.Host h2 = cluster.hosts.host("h2");
        JobEventsTap tap = cluster.closing(new JobEventsTap(cluster.bootstrap));
        int frontend = TestCluster.freePort();
        cluster.sixNodes("light", frontend);
        LoadGen clients = cluster.closing(LoadGen.atRate(URI.create(cluster.frontend(frontend) + "/"), 20));
        JobStream jobs = cluster.closing(new JobStream(cluster.http, "light", Duration.ofMillis(200)));
        // settled before the cut: on a starved machine a host may miss its liveness setting and its nodes move
        await().atMost(Duration.ofSeconds(60)).until(() -> clients.ok.get() >= 40 && tap.ended() >= 10
                && cluster.onlineHosts("light").size() == 6 && copies().equals(Map.of("h1", 2, "h2", 2, "h3", 2)));
        Set<String> onH2 = new TreeSet<>();
        List<URI> h2Nodes = new ArrayList<>();
        for (JsonNode n : cluster.nodes("light")) {
            if ("h2".equals(n.path("host_id").asText())) {
                onH2.add(n.path("name").asText());
                h2Nodes.add(URI.create("http://" + n.path("address").asText() + ":" + n.path("port").asInt() + "/"));
            }
        }
        assertEquals(2, onH2.size(), "two nodes on h2: " + cluster.onlineHosts("light"));
        HaproxyAdmin balancer = new HaproxyAdmin(cluster.dir.resolve("balancer"), "light");

        KafkaCut cut = cluster.closing(KafkaCut.between(h2, cluster.bootstrap));
        Instant cutAt = Instant.now();
        long t0 = System.nanoTime();
        cut.cut();
        // first out of the balancer (drained as soon as they are FAILED), then ONLINE again on the other hosts
        await().atMost(LIVENESS.plusSeconds(25)).pollInterval(Duration.ofMillis(200))
                .until(() -> balancer.activeAddresses().stream().noneMatch(h2.address()::equals));
        double outAfter = (System.nanoTime() - t0) / 1e9;
        // a node daemon starts its process nodes one after the other: on a busy machine each JVM takes seconds
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, String> online = cluster.onlineHosts("light");
            return online.size() == 6 && !online.containsValue("h2");
        });
        double replacedAfter = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, copies().get("h2"), "h2's copies run on while it is cut off from Kafka");
        for (URI node : h2Nodes) {
            assertEquals(200, http(node), "h2's copy at " + node + " answers (only Kafka is cut off): " + cut.rules());
        }
        await().atMost(KAFKA_CUT.plusSeconds(5)).until(() -> System.nanoTime() - t0 >= KAFKA_CUT.toNanos());
        cut.heal();
        long healed = System.nanoTime();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> !copies()
                .containsKey("h2"));
        double stoppedAfter = (System.nanoTime() - healed) / 1e9;
        await().atMost(Duration.ofSeconds(30)).until(() -> hostLost("h2").equals(Optional.of(false)));
        long okBefore = clients.ok.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> clients.ok.get() >= okBefore + 40);
        jobs.stopAndAwaitEnds(tap, Duration.ofSeconds(90));
        clients.close();

        List<HostsCluster.Snapshot> history = cluster.podHistory("light");
        // the resource manager's HostLost (its time, and why): a lost host's nodes are FAILED and launched again
        // elsewhere in one turn, and the pod's snapshot is written once per turn
        Instant lostAt = cluster.hostLosses("h2").stream().filter(l -> !l.at().isBefore(cutAt)
                && "host h2 lost: no heartbeat for 5 s".equals(l.reason())).map(l -> l.at()).findFirst()
                .orElseThrow(() -> new AssertionError("no HostLost for h2 with the reason after the cut"));
        assertTrue(history.stream().anyMatch(s -> !s.at().isBefore(lostAt) && s.pod().nodes().stream()
                .filter(n -> onH2.contains(n.name())).noneMatch(n -> "h2".equals(n.hostId()))),
                "no snapshot with h2's nodes moved away");
        double detected = Duration.between(cutAt, lostAt).toMillis() / 1000.0;
        Map<String, String> online = cluster.onlineHosts("light");
        System.out.printf("h2 cut off from Kafka only for %d s (liveness %d s): LOST after %.1f s, its nodes out of the "
                        + "balancer after %.1f s and ONLINE on the other hosts after %.1f s; its own copies stopped "
                        + "%.1f s after the heal; %d client requests, %d failed (%s); %d jobs%n", KAFKA_CUT.toSeconds(),
                LIVENESS.toSeconds(), detected, outAfter, replacedAfter, stoppedAfter,
                clients.ok.get() + clients.failed(), clients.failed(), clients.failures, jobs.accepted.size());
        assertOneCopyOfEachNodeOffH2(online, onH2);
        // h2's copies answer until the balancer has drained them out, and the others take every other request
        assertEquals(0, clients.failed(), "client requests through the frontend: " + clients.failures);
        assertEquals(List.of(), jobs.notSucceededOnce(tap.readAll()), "every job ended once, SUCCEEDED");
        assertTrue(jobs.accepted.size() >= 100, "jobs flowed: " + jobs.accepted.size());
        assertTrue(detected <= LIVENESS.toSeconds() + 2.5, "noticed after " + detected + " s");
    }

    /** Whether the host is LOST as the API shows it (empty if the API does not know the host). */
    private Optional<Boolean> hostLost(String host) {
        JsonHttp.Response r = cluster.admin("GET", "/api/live", null);
        JsonNode live = r.data() != null ? r.data() : r.json();
        for (JsonNode h : live.path("hosts")) {
            if (host.equals(h.path("host_id").asText())) {
                return Optional.of(h.path("lost").asBoolean());
            }
        }
        return Optional.empty();
    }

    private static int http(URI uri) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Six nodes ONLINE, h2's among them, none on h2, and one process of each where the resource manager has it. */
    private void assertOneCopyOfEachNodeOffH2(Map<String, String> online, Set<String> onH2) {
        assertEquals(6, online.size(), online.toString());
        assertTrue(online.keySet().containsAll(onH2) && !online.containsValue("h2"), online.toString());
        Map<String, Integer> perHost = copies();
        assertEquals(6, perHost.values().stream().mapToInt(Integer::intValue).sum(), "one copy of each node: " + perHost);
        Map<String, Integer> expected = new TreeMap<>();
        online.values().forEach(h -> expected.merge(h, 1, Integer::sum));
        assertEquals(expected, perHost, "each copy runs where the resource manager has it");
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
