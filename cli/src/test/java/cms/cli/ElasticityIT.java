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
 * Elasticity end to end with real nodes and HAProxy: a sustained load of heavy requests on a pod with
 * elasticity 1..5 grows it to the size that brings its utilisation under the upper threshold, and once
 * the heavy load stops it shrinks back to 1 while light requests keep flowing, none failing.
 */
class ElasticityIT {

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    private static long count(TestCluster cms, String state) {
        long n = 0;
        for (JsonNode node : cms.api().get("/api/pods/hv").data().get("nodes")) {
            if (node.get("state").asText().equals(state) && !node.get("removing").asBoolean()) {
                n++;
            }
        }
        return n;
    }

    private static int size(TestCluster cms) {
        return cms.api().get("/api/pods/hv").data().get("nodes").size();
    }

    @Test
    void heavyLoadGrowsThePodAndItShrinksBackWhenTheLoadStops() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager(Map.of("CMS_RM_DRAIN_TIMEOUT_MS", "15000"))
                .withHost("it-host").withWeb(Map.of()).withBalancer(Map.of("CMS_BALANCER", "haproxy"))
                .withElasticity(Map.of("CMS_ELASTICITY_SCALE_OUT_WINDOW_MS", "2000",
                        "CMS_ELASTICITY_SCALE_IN_WINDOW_MS", "4000", "CMS_ELASTICITY_SCALE_OUT_COOLDOWN_MS", "3000",
                        "CMS_ELASTICITY_SCALE_IN_COOLDOWN_MS", "2000", "CMS_ELASTICITY_SMOOTHING_MS", "2000"))) {
            int port = TestCluster.freePort();
            assertEquals(0, cms.cloud("pod", "register", "hv", "--workload", "heavy", "--cpu", "0.3",
                    "--frontend-port", String.valueOf(port)).exit());
            // the original rule's step, one node at a time, whose end size this test knows (3 nodes)
            assertEquals(0, cms.cloud("elasticity", "enable", "hv", "1", "5", "--step", "one").exit());
            await().atMost(Duration.ofSeconds(30)).until(() -> count(cms, "ONLINE") == 1);
            // ONLINE in the resource manager comes a moment before the balancer has it in rotation
            await().atMost(Duration.ofSeconds(15)).until(() -> cms.cloud("request", "hv", "--path", "/health").exit() == 0);
            URI heavy = URI.create("http://127.0.0.1:" + port + "/");
            try (LoadGen load = new LoadGen(heavy, 2)) {
                // two clients keep two nodes' worth of CPU busy: 2 nodes run at ~1.0 (> 0.8), 3 at ~0.67
                await().atMost(Duration.ofSeconds(45)).until(() -> count(cms, "ONLINE") == 3);
                await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8)).until(() -> size(cms) == 3);
                load.close();
                assertEquals(0, load.failed(), () -> load.failures.toString());
            }
            // light requests, 20 a second, go on while it shrinks: every one must be answered
            URI light = URI.create("http://127.0.0.1:" + port + "/health");
            try (LoadGen load = LoadGen.paced(light, Duration.ofMillis(50))) {
                await().atMost(Duration.ofSeconds(45)).until(() -> size(cms) == 1 && count(cms, "ONLINE") == 1);
                long served = load.ok.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > served + 20);
                load.close();
                assertEquals(0, load.failed(), () -> "failed while the pod shrank: " + load.failures);
                assertTrue(load.servedBy.size() >= 2, "the shrinking nodes served until drained: " + load.servedBy);
            }
        }
    }
}
