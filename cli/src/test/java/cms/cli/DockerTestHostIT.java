package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Docker nodes on a test host ({@link DockerTestHost}): h1's daemon, in h1's namespace, runs a pod's nodes as
 * containers of the machine's engine, published on h1's advertised address on the test bridge; a request
 * through the frontend on the control address reaches each of them.
 */
class DockerTestHostIT extends OnTestHosts {

    @Test
    void aDaemonInANamespaceRunsItsNodesAsContainersAndRequestsThroughTheFrontendReachThem() throws Exception {
        RealParts.require("a Docker engine with cms/workload:dev", () -> NodeLifecycleContract.exec("docker", "image",
                "inspect", "-f", "ok", "cms/workload:dev").equals("ok"));
        start(1, Map.of());
        Map<String, String> env = new HashMap<>(HostsCluster.HOST_CAPACITY);
        DockerTestHost h1 = cluster.closing(DockerTestHost.start(cluster.hosts, "h1", cluster.dir, cluster.bootstrap,
                env));
        cluster.awaitHostReady("h1");
        int frontend = TestCluster.freePort();
        cluster.registerPod("docked", "light", frontend);
        cluster.launchNode("docked", "docked-1");
        cluster.launchNode("docked", "docked-2");
        await().atMost(Duration.ofSeconds(120)).until(() -> cluster.onlineHosts("docked").size() == 2);

        for (JsonNode n : cluster.nodes("docked")) {
            assertEquals("h1", n.path("host_id").asText(), n.toString());
            assertEquals(h1.address(), n.path("address").asText(), "published on h1's address: " + n);
        }
        String containers = h1.runningContainers();
        assertTrue(containers.contains("cms-h1-docked-1 " + h1.address() + ":")
                && containers.contains("cms-h1-docked-2 " + h1.address() + ":"), containers);
        String daemonNamespace = TestHosts.run("ip", "netns", "pids", cluster.hosts.host("h1").namespace()).strip();
        assertEquals(1, daemonNamespace.lines().count(), "only the daemon runs in h1's namespace: " + daemonNamespace);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create(cluster.frontend(frontend) + "/"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        Map<String, Integer> servedBy = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return false; // ONLINE to the resource manager before HAProxy's health checks pass: 503 until then
            }
            servedBy.merge(r.body().replaceFirst("^.*\"node\":\"([^\"]+)\".*$", "$1"), 1, Integer::sum);
            return servedBy.keySet().containsAll(List.of("docked-1", "docked-2"));
        });
        System.out.println("Docker test host h1: containers " + containers.replace('\n', ';')
                + "; requests through the frontend served by " + servedBy);
    }
}
