package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The balancer contract on the embedded (Jetty) proxy, plus a restart of the balancer. Its frontends
 * live in the balancer's process, so while it is down the pod is not served; after the restart the
 * slots converge on the same nodes, once each.
 */
class EmbeddedBalancerIT extends BalancerContract {

    @Override
    Map<String, String> balancerSettings() {
        return Map.of("CMS_BALANCER", "embedded");
    }

    @Override
    void assertSurvivedKills() throws Exception {
        TestCluster.Run r = cms.cloud("request", "web", "-n", "20", "-c", "2");
        assertTrue(r.out().contains(" 0 failed"), r.out());
    }

    @Override
    boolean rotationSeenFromOutside(int nodePort) {
        String name = null;
        for (JsonNode n : cms.api().get("/api/pods/web").data().get("nodes")) {
            if (n.hasNonNull("port") && n.get("port").asInt() == nodePort) {
                name = n.get("name").asText();
            }
        }
        return name != null && cms.cloud("request", "web", "-n", "20", "-c", "2").out().contains(name + "=");
    }

    @Test
    void aRestartedBalancerConvergesOnTheSameServersWithoutDuplicates() throws Exception {
        cluster(false);
        Map<String, String> env = Map.of("CMS_KAFKA", cms.broker.bootstrapServers(), "CMS_BALANCER", "embedded");
        ServiceProcess balancer = ServiceProcess.start(cms.dir, "balancer", env, "balancer: embedded ready");
        try {
            serving("r1");
            serving("r2");
            balancer.kill();
            balancer = ServiceProcess.start(cms.dir, "balancer", env, "balancer: embedded ready");
            await().atMost(Duration.ofSeconds(20)).until(() -> cms.cloud("request", "web", "-n", "40", "-c", "2").out()
                    .contains("served by: {r1=20, r2=20}"));
            TestCluster.Run after = cms.cloud("request", "web", "-n", "40", "-c", "2");
            assertTrue(after.out().contains(" 0 failed") && after.out().contains("served by: {r1=20, r2=20}"),
                    "the same two servers, each once: " + after.out());
        } finally {
            balancer.close();
        }
    }
}
