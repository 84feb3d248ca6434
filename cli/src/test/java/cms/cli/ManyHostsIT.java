package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three test hosts, each a network namespace with its own address and node daemon; Kafka, the resource
 * manager, the balancer (HAProxy) and the frontends on the control address. Six nodes of one pod spread two
 * to a host, each listening on its host's address, and a client request and a job through the frontend reach
 * a node on every host: no part assumes loopback.
 */
class ManyHostsIT extends OnTestHosts {

    @Test
    void nodesSpreadOverTheHostsAndRequestsAndJobsReachEveryHostThroughTheFrontend() throws Exception {
        start(3, Map.of());
        int frontend = TestCluster.freePort();
        Map<String, String> hostOf = cluster.sixNodes("light", frontend);
        Map<String, Long> perHost = new TreeMap<>(hostOf.values().stream()
                .collect(Collectors.groupingBy(h -> h, Collectors.counting())));
        assertEquals(Map.of("h1", 2L, "h2", 2L, "h3", 2L), perHost, "two nodes on each host: " + hostOf);
        for (JsonNode n : cluster.nodes("light")) {
            String host = n.path("host_id").asText();
            assertEquals(cluster.hosts.host(host).address(), n.path("address").asText(),
                    "node " + n.path("name").asText() + " listens on its host's address");
        }

        // client requests through the frontend on the control address reach every host
        try (LoadGen clients = LoadGen.atRate(URI.create(cluster.frontend(frontend) + "/"), 20)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.ok.get() >= 60
                    && hostsOf(clients.servedBy.keySet(), hostOf).size() == 3);
            assertEquals(0, clients.failed(), "client requests: " + clients.failures);
        }

        // jobs, sent by the resource manager to the frontend on the control address, run on every host
        try (JobEventsTap tap = new JobEventsTap(cluster.bootstrap)) {
            for (int i = 0; i < 30; i++) {
                JsonHttp.Response r = cluster.http.post("/api/jobs", "{\"pod\":\"light\",\"job_id\":\"j-" + i + "\"}");
                assertEquals(202, r.status(), r.toString());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> tap.ended() >= 30);
            Set<String> ranOn = new TreeSet<>();
            for (int i = 0; i < 30; i++) {
                var ends = JobEventsTap.terminals(tap.events("j-" + i));
                assertEquals(1, ends.size(), "j-" + i + " ended once: " + tap.events("j-" + i));
                assertTrue(ends.get(0) instanceof JobEvent.JobSucceeded, "j-" + i + ": " + ends.get(0));
                ranOn.add(hostOf.get(((JobEvent.JobSucceeded) ends.get(0)).node()));
            }
            assertEquals(Set.of("h1", "h2", "h3"), ranOn, "jobs ran on every host");
        }
        System.out.printf("test hosts: %s (%s), control address %s%n", cluster.hosts.hosts().stream()
                .map(h -> h.id() + "=" + h.address()).toList(), cluster.hosts.usesNamespaces()
                ? "network namespaces" : "loopback addresses", cluster.hosts.controlAddress());
    }

    private static Set<String> hostsOf(Set<String> nodes, Map<String, String> hostOf) {
        return nodes.stream().map(hostOf::get).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
    }
}
