package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The web service without a resource manager: admin requests time out into a 503 that says why, health
 * reports the resource manager DOWN; once a resource manager starts, the API recovers on its own and the
 * request that timed out is applied after all (it waited on {@code admin-requests}).
 */
class ResourceManagerDownIT {

    private static void unavailable(JsonHttp.Response r) {
        assertEquals(503, r.status(), r::toString);
        assertNotNull(r.json(), () -> "JSON body: " + r);
        assertTrue(r.text("error").contains("the resource manager did not answer within 1000 ms"), r::toString);
        assertTrue(r.json().get("field").isNull(), () -> "no one field is at fault: " + r);
    }

    @Test
    void apiAnswers503UntilTheResourceManagerIsBack() throws InterruptedException {
        try (TestCluster cms = new TestCluster()) {
            cms.withHost("it-host").withWeb(Map.of("CMS_ADMIN_TIMEOUT_MS", "1000"));
            JsonHttp api = cms.api();

            long started = System.nanoTime();
            unavailable(api.get("/api/pods"));
            long tookMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(tookMs >= 900 && tookMs < 10_000, "answered after the 1000 ms timeout, took " + tookMs);
            unavailable(api.post("/api/init", null));
            unavailable(api.get("/api/pods/light"));

            JsonHttp.Response health = api.get("/api/health");
            assertEquals(503, health.status(), health::toString);
            assertEquals("DOWN", health.text("resource_manager"), health::toString);
            assertEquals("DEGRADED", health.text("status"), health::toString);
            assertEquals(Map.of("cms-node-daemon-it-host", "RUNNING", "cms-web-jobs", "RUNNING", "cms-web-live",
                    "RUNNING", "cms-web-replies", "RUNNING", "cms-web-tokens", "RUNNING"), health.loops(),
                    health::toString);

            // a request the web service refuses itself still answers 400 without the resource manager
            JsonHttp.Response bad = api.post("/api/pods", "{\"name\":\"x\",\"cpu\":\"abc\"}");
            assertEquals(400, bad.status(), bad::toString);
            assertEquals("cpu", bad.text("field"), bad::toString);

            cms.withResourceManager();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.get("/api/health").status() == 200);
            JsonHttp.Response up = api.get("/api/health");
            assertEquals("UP", up.text("status"), up::toString);
            assertEquals("UP", up.text("kafka"), up::toString);
            assertEquals("UP", up.text("resource_manager"), up::toString);
            assertEquals("RUNNING", up.loops().get("cms-rm"), up::toString);

            JsonHttp.Response pods = api.get("/api/pods");
            assertEquals(200, pods.status(), pods::toString);
            assertEquals(3, pods.data().size(), () -> "the init that timed out was applied once: " + pods);
            JsonHttp.Response again = api.post("/api/init", null);
            assertEquals(409, again.status(), again::toString);
            assertTrue(again.text("error").contains("already initialised"), again::toString);
        }
    }
}
