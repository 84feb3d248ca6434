package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Demand mode end to end, with Docker nodes whose CPU the engine caps, the real balancer's request rates and
 * HAProxy: a medium pod (50 ms of CPU a request, 0.3 of a core a node: 6 requests/s at full share) learns its
 * capacity at 2 requests/s on one node (a third of its share) while its MAX is 1, keeps it when its MAX is raised; a step to 4 requests/s, past the set-point of 0.5 the
 * pod is given, is sized from the request rate the balancer measures over what the pod learned a node serves, and the size then holds
 * (no flapping around a node boundary), no request failing on the way. The arithmetic of the sizing, the fast path
 * past a capped CPU and the warm-up are unit tests (ScalingEvaluatorTest).
 */
class ElasticityDemandIT {

    private static final String HOST = "dm-host";

    @BeforeAll
    static void parts() throws Exception {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
        RealParts.require("a Docker engine with the image cms/workload:dev (deploy/images/build.sh)",
                () -> NodeLifecycleContract.exec("docker", "image", "inspect", "-f", "ok", "cms/workload:dev")
                        .equals("ok"));
    }

    @AfterAll
    static void removeContainers() throws Exception {
        String ids = NodeLifecycleContract.exec("docker", "ps", "-aq", "--filter", "label=cms.host=" + HOST);
        for (String id : ids.split("\\s+")) {
            if (!id.isBlank()) {
                NodeLifecycleContract.exec("docker", "rm", "-f", id);
            }
        }
    }

    private static JsonNode pod(TestCluster cms) {
        return cms.api().get("/api/pods/dm").data();
    }

    private static long online(TestCluster cms) {
        long n = 0;
        for (JsonNode node : pod(cms).get("nodes")) {
            n += node.get("state").asText().equals("ONLINE") && !node.get("removing").asBoolean() ? 1 : 0;
        }
        return n;
    }

    private static List<JsonNode> decisions(TestCluster cms) {
        List<JsonNode> out = new ArrayList<>();
        cms.api().get("/api/pods/dm/elasticity").data().path("decisions").forEach(out::add);
        return out;
    }

    @Test
    void aStepIsSizedFromTheRequestRateOverTheCapacityThePodShowed() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager(Map.of("CMS_RM_DRAIN_TIMEOUT_MS", "15000"))
                .withHost(HOST, Map.of("CMS_NODE_DRIVER", "docker")).withWeb(Map.of())
                .withBalancer(Map.of("CMS_BALANCER", "haproxy")).withElasticity(Map.of("CMS_ELASTICITY_WARMUP_MS", "4000"))) {
            int port = TestCluster.freePort();
            assertEquals(0, cms.cloud("pod", "register", "dm", "--workload", "medium", "--cpu", "0.3",
                    "--frontend-port", String.valueOf(port)).exit());
            // held at MAX 1 while it learns: a new node's own start-up CPU would otherwise grow it on CPU alone
            TestCluster.Run enable = cms.cloud("elasticity", "enable", "dm", "1", "1", "--mode", "demand",
                    "--target", "0.5", "--scale-out-window", "1", "--scale-out-cooldown", "3");
            assertEquals(0, enable.exit(), enable.err());
            assertTrue(enable.out().contains("sized from demand, each node at 0.5 of its CPU"), enable.out());
            await().atMost(Duration.ofSeconds(40)).until(() -> online(cms) == 1);
            await().atMost(Duration.ofSeconds(15)).until(() -> cms.cloud("request", "dm", "--path", "/health").exit() == 0);
            URI root = URI.create("http://127.0.0.1:" + port + "/");
            try (LoadGen learn = LoadGen.open(root, 2)) {
                // 2 requests/s use a third of the node's share: what a node serves is learned past the warm-up
                long served = learn.ok.get();
                await().atMost(Duration.ofSeconds(20)).until(() -> learn.ok.get() >= served + 20);
                learn.close();
                assertEquals(0, learn.failed(), () -> learn.failures.toString());
            }
            TestCluster.Run bounds = cms.cloud("elasticity", "enable", "dm", "1", "4");
            assertEquals(0, bounds.exit(), bounds.err());
            try (LoadGen load = LoadGen.open(root, 4)) {
                // 4 requests/s: within one node's 6 at full share, but past its set-point of 0.5 (3): sized from the
                // rate, 2 nodes, well inside the 10 % band around them (at 5 req/s the rate with its rising trend sat at
                // the band's edge around 2 nodes, and a third could come within the 6 s the size must hold)
                await().atMost(Duration.ofSeconds(40)).until(() -> online(cms) >= 2 && demandSized(cms).isPresent());
                int size = pod(cms).get("nodes").size();
                await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                        .until(() -> pod(cms).get("nodes").size() == size);
                load.close();
                assertEquals(0, load.failed(), () -> "failed while the pod grew: " + load.failures);
            }
            JsonNode d = demandSized(cms).orElseThrow();
            assertEquals("demand", d.path("metric").asText(), d::toString);
            double rate = d.path("value").asDouble();
            assertTrue(rate > 2 && rate < 8, () -> "the pod's request rate at the balancer, all nodes together: " + d);
            Matcher m = Pattern.compile("([0-9.]+) req/s per node at 0\\.50").matcher(d.path("reason").asText());
            assertTrue(m.find(), d::toString);
            double perNode = Double.parseDouble(m.group(1));
            assertTrue(perNode > 3 && perNode < 12, () -> "learned from the node: 50 ms of CPU a request at 0.3 of a "
                    + "core is 6 a second at full share: " + d);
        }
    }

    /** The first decision the service sized from the pod's demand. */
    private static Optional<JsonNode> demandSized(TestCluster cms) {
        return decisions(cms).stream().filter(d -> d.path("reason").asText().contains("req/s per node at 0.50"))
                .findFirst();
    }
}
