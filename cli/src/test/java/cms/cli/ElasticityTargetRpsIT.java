package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Target mode on requests per second, end to end with real nodes and HAProxy, with the pod's own
 * windows and cool-downs: 40 requests/s on a pod that should carry 15 per node grows it from 1 to
 * ⌈40 / 15⌉ = 3 nodes (at 3 nodes 13.3 each: 2 would carry 20, past the target's 10 % tolerance) and no
 * further, and once only a trickle is left it shrinks back to 1 after its own 5 s scale-in window,
 * with no request failing on the way.
 */
class ElasticityTargetRpsIT {

    private static final int RATE = 40;
    private static final int TARGET = 15;

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    private static JsonNode pod(TestCluster cms) {
        return cms.api().get("/api/pods/rp").data();
    }

    private static long online(TestCluster cms) {
        long n = 0;
        for (JsonNode node : pod(cms).get("nodes")) {
            n += node.get("state").asText().equals("ONLINE") && !node.get("removing").asBoolean() ? 1 : 0;
        }
        return n;
    }

    private static int size(TestCluster cms) {
        return pod(cms).get("nodes").size();
    }

    @Test
    void aSteadyRequestRateGrowsThePodToWhatTheTargetAsksForAndNoFurther() throws Exception {
        // the service's own windows are long: the pod's must be the ones that apply
        try (TestCluster cms = new TestCluster().withResourceManager(Map.of("CMS_RM_DRAIN_TIMEOUT_MS", "15000"))
                .withHost("it-host").withWeb(Map.of()).withBalancer(Map.of("CMS_BALANCER", "haproxy"))
                .withElasticity(Map.of("CMS_ELASTICITY_SCALE_IN_WINDOW_MS", "600000",
                        "CMS_ELASTICITY_SCALE_OUT_WINDOW_MS", "60000"))) {
            int port = TestCluster.freePort();
            assertEquals(0, cms.cloud("pod", "register", "rp", "--workload", "light", "--frontend-port",
                    String.valueOf(port)).exit());
            TestCluster.Run enable = cms.cloud("elasticity", "enable", "rp", "1", "5", "--mode", "target", "--metric",
                    "rps", "--target", String.valueOf(TARGET), "--scale-out-window", "1", "--scale-in-window", "5",
                    "--scale-out-cooldown", "4", "--scale-in-cooldown", "2");
            assertEquals(0, enable.exit(), enable.err());
            JsonNode elasticity = pod(cms).get("elasticity");
            assertEquals(5, elasticity.get("scale_in_window_seconds").asInt(), elasticity.toString());
            assertEquals("rps", elasticity.get("metric").asText());
            await().atMost(Duration.ofSeconds(30)).until(() -> online(cms) == 1);
            await().atMost(Duration.ofSeconds(15)).until(() -> cms.cloud("request", "rp", "--path", "/health").exit() == 0);
            URI root = URI.create("http://127.0.0.1:" + port + "/");
            try (LoadGen load = LoadGen.atRate(root, RATE)) {
                await().atMost(Duration.ofSeconds(45)).until(() -> online(cms) == 3);
                await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).until(() -> size(cms) == 3);
                load.close();
                assertEquals(0, load.failed(), () -> load.failures.toString());
                assertEquals(3, load.servedBy.size(), () -> "all three nodes served: " + load.servedBy);
            }
            // a trickle of 2 requests/s, 0.7 a node: far under the target, so back to MIN
            try (LoadGen trickle = LoadGen.atRate(root, 2)) {
                await().atMost(Duration.ofSeconds(40)).until(() -> size(cms) == 1 && online(cms) == 1);
                long served = trickle.ok.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> trickle.ok.get() > served + 4);
                trickle.close();
                assertEquals(0, trickle.failed(), () -> "failed while the pod shrank: " + trickle.failures);
                assertTrue(trickle.ok.get() > 0);
            }
        }
    }
}
