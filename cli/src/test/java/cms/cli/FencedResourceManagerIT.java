package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.kafka.KafkaSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fault no retry can mend ends the process with status 70 and the reason, for its supervisor to act
 * on: a second resource manager started with the same transactional id fences the first (its producer and
 * its static group membership), which stops at once instead of fencing the new one in turn; the new one
 * serves the API.
 */
class FencedResourceManagerIT {

    @Test
    void aFencedResourceManagerExitsWithStatus70AndTheNewOneServes() throws Exception {
        try (TestCluster cms = new TestCluster()) {
            Map<String, String> env = Map.of(KafkaSettings.KEY, cms.broker.bootstrapServers());
            try (ServiceProcess first = ServiceProcess.start(cms.dir, "rm", env, "resource manager: ready");
                 ServiceProcess second = ServiceProcess.start(cms.dir, "rm", env, "resource manager: ready")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !first.alive());
                assertEquals(70, first.exitValue(), first.output());
                assertTrue(first.output().contains("cannot go on"), first.output());
                assertTrue(first.output().contains("stopping with status 70"), first.output());
                assertTrue(second.alive(), second.output());
                cms.withWeb(Map.of());
                JsonHttp api = cms.api();
                await().atMost(Duration.ofSeconds(30)).until(() -> api.post("/api/init", null).status() == 201);
                assertEquals(3, api.get("/api/pods").data().size());
                assertTrue(second.alive(), "the new one goes on: " + second.output());
            }
        }
    }
}
