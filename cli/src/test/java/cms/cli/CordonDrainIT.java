package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Cordon and drain on three test hosts, under 20 client requests a second through the pod's HAProxy frontend:
 * a cordoned host gets no new node and keeps its own; a drained host's nodes are replaced on the others (each
 * replacement ONLINE before its old node is drained from the balancer and stopped) with no failed request, and
 * no process of theirs is left on it; an uncordoned host gets new nodes again. Then a drain that cannot place
 * everything: the node no other host has room for stays and serves, the host says "waiting for room: 1 nodes",
 * and the drain completes once room appears. A bad or unknown host is refused first (400 naming host, 404) and
 * changes nothing. Prints how long each drain took.
 */
class CordonDrainIT extends OnTestHosts {

    /** A node of pod big needs this much memory: one fits a test host (4096 MB) next to a few light nodes, two do not. */
    private static final int BIG_MEMORY_MB = 3000;

    @Test
    void aDrainedHostsNodesMoveToTheOthersWithNoFailedRequestAndWhatHasNoRoomWaits() throws Exception {
        start(3, Map.of());
        int frontend = TestCluster.freePort();
        Map<String, String> placed = cluster.sixNodes("light", frontend);
        Set<String> onH2 = nodesOn(placed, "h2");
        assertEquals(2, onH2.size(), placed.toString());
        badHostsAreRefusedWithOneLineNamingTheFieldAndNothingChanges();
        LoadGen clients = cluster.closing(LoadGen.atRate(URI.create(cluster.frontend(frontend) + "/"), 20));
        served(clients, 40);

        // cordon: no new node goes to h2, its own stay
        TestCluster.Run cordon = cloud("host", "cordon", "h2");
        assertEquals(0, cordon.exit(), cordon.err());
        assertEquals("host h2 cordoned: no new nodes go there; its 2 node(s) stay", cordon.out().strip());
        assertTrue(hostLine("h2").contains(" cordoned "), hostLine("h2"));
        for (String extra : List.of("light-a", "light-b")) {
            cluster.launchNode("light", extra);
            await().atMost(Duration.ofSeconds(60)).until(() -> cluster.onlineHosts("light").containsKey(extra));
            assertNotEquals("h2", cluster.onlineHosts("light").get(extra), extra + " went to a cordoned host");
        }
        assertEquals(onH2, nodesOn(cluster.onlineHosts("light"), "h2"), "its own nodes stay");

        // drain: each node replaced on h1/h3, then drained and stopped; no request fails
        long failedBefore = clients.failed();
        long t0 = System.nanoTime();
        JsonHttp.Response drain = cluster.admin("POST", "/api/hosts/h2/drain", null);
        assertEquals(202, drain.status(), drain.toString());
        assertEquals(2, drain.data().path("moving").size(), drain.toString());
        assertTrue(drain.json().path("message").asText().startsWith("host h2 cordoned and draining: 2 node(s) moving"),
                drain.toString());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> cluster.nodes("light").stream().noneMatch(n -> "h2".equals(n.path("host_id").asText())));
        double drainedAfter = (System.nanoTime() - t0) / 1e9;
        Map<String, String> online = cluster.onlineHosts("light");
        assertEquals(8, online.size(), online.toString());
        assertFalse(online.containsValue("h2"), online.toString());
        assertTrue(hostLine("h2").contains(" drained "), hostLine("h2"));
        served(clients, clients.ok.get() + 20);
        assertEquals(failedBefore, clients.failed(), "client requests failed during the drain: " + clients.failures);
        assertEquals(0, clients.failed(), "client requests through the frontend: " + clients.failures);
        if (cluster.hosts.usesNamespaces()) {
            assertEquals(1, TestHosts.run("ip", "netns", "pids", cluster.hosts.host("h2").namespace()).lines()
                    .filter(l -> !l.isBlank()).count(), "only h2's daemon runs there: its nodes are gone");
        }

        // uncordon: h2 (fewest nodes of the pod) gets the next node again
        TestCluster.Run uncordon = cloud("host", "uncordon", "h2");
        assertEquals(0, uncordon.exit(), uncordon.err());
        assertTrue(hostLine("h2").contains(" ok "), hostLine("h2"));
        cluster.launchNode("light", "light-c");
        await().atMost(Duration.ofSeconds(60)).until(() -> "h2".equals(cluster.onlineHosts("light").get("light-c")));

        // a drain that cannot place everything: a big node per host, none has room for a second one
        int bigFrontend = TestCluster.freePort();
        JsonHttp.Response big = cluster.admin("POST", "/api/pods", "{\"name\":\"big\",\"workload\":\"light\","
                + "\"memory_mb\":" + BIG_MEMORY_MB + ",\"frontend_port\":" + bigFrontend + "}");
        assertEquals(201, big.status(), big.toString());
        for (int i = 1; i <= 3; i++) {
            cluster.launchNode("big", "big-" + i);
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> cluster.onlineHosts("big").size() == 3);
        Map<String, String> bigs = cluster.onlineHosts("big");
        assertEquals(Set.of("h1", "h2", "h3"), Set.copyOf(bigs.values()), "one big node a host: " + bigs);
        String stuck = nodesOn(bigs, "h1").iterator().next();
        long t1 = System.nanoTime();
        drain = cluster.admin("POST", "/api/hosts/h1/drain", null);
        assertEquals(202, drain.status(), drain.toString());
        assertEquals(1, drain.data().path("waiting").asInt(), drain.toString());
        assertTrue(drain.json().path("message").asText().contains("waiting for room: 1 nodes"), drain.toString());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> hostLine("h1").contains("draining (1 left, waiting for room: 1 nodes)"));
        assertEquals("h1", cluster.onlineHosts("big").get(stuck), "what has no room stays and serves");
        assertEquals(0, cluster.nodes("light").stream().filter(n -> "h1".equals(n.path("host_id").asText())).count(),
                "the light nodes moved");

        // room appears: the big node on h3 removed; the stuck one moves there and the drain completes
        String onH3 = nodesOn(bigs, "h3").iterator().next();
        TestCluster.Run rm = cloud("rm", onH3, "big");
        assertEquals(0, rm.exit(), rm.err());
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> hostLine("h1").contains(" drained "));
        double roomAfter = (System.nanoTime() - t1) / 1e9;
        Map<String, String> bigsAfter = cluster.onlineHosts("big");
        assertEquals(Set.of("h2", "h3"), Set.copyOf(bigsAfter.values()), bigsAfter.toString());
        assertFalse(bigsAfter.containsKey(stuck), "replaced under a new name: " + bigsAfter);
        clients.close();
        assertEquals(0, clients.failed(), "client requests through the frontend: " + clients.failures);
        System.out.printf("cordon/drain on 3 test hosts: h2's 2 nodes moved in %.1f s; h1 drained, its big node "
                        + "waiting for room, done %.1f s after the drain once room appeared; %d client requests, %d "
                        + "failed%n", drainedAfter, roomAfter, clients.ok.get() + clients.failed(), clients.failed());
        System.out.println(cloud("host", "ls").out());
    }

    private void badHostsAreRefusedWithOneLineNamingTheFieldAndNothingChanges() {
        JsonHttp.Response unknown = cluster.admin("POST", "/api/hosts/h9/drain", null);
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("no host named 'h9' (cloud host ls lists the hosts)", unknown.json().path("error").asText());
        JsonHttp.Response bad = cluster.admin("POST", "/api/hosts/h%21/cordon", null);
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("host", bad.json().path("field").asText(), bad.toString());
        TestCluster.Run cli = cloud("host", "cordon", "h9");
        assertEquals(CloudCommand.REFUSED, cli.exit());
        assertEquals(1, cli.err().strip().lines().count(), cli.err());
        assertTrue(cli.err().startsWith("cloud: no host named 'h9'"), cli.err());
        JsonHttp.Response hosts = cluster.admin("GET", "/api/hosts", null);
        assertEquals(200, hosts.status(), hosts.toString());
        assertEquals(3, hosts.data().size(), hosts.toString());
        for (JsonNode h : hosts.data()) {
            assertEquals("ok", h.path("scheduling").asText(), "nothing changed: " + h);
        }
    }

    /** Waits until the clients have had {@code count} answers; says what they saw if not (a busy machine is slow). */
    private static void served(LoadGen clients, long count) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertTrue(clients.ok.get() >= count,
                clients.ok.get() + " of " + count + " answers; failures: " + clients.failures));
    }

    private static Set<String> nodesOn(Map<String, String> nodeToHost, String host) {
        return nodeToHost.entrySet().stream().filter(e -> e.getValue().equals(host)).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private String hostLine(String host) {
        return cloud("host", "ls").out().lines().filter(l -> l.startsWith(host + " ")).findFirst()
                .orElse("(no line for " + host + ")");
    }

    private TestCluster.Run cloud(String... args) {
        return TestCluster.cloudAt(cluster.api, cluster.token, args);
    }
}
