package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.kafka.BrokerWatch;
import cms.core.kafka.Liveness;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.LoopHealth.State;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The health answer from fake loop healths: every loop listed with its state and last progress; DOWN and
 * 503 at once (the resource manager not asked) when a loop is retrying, failed or stuck; the kafka and
 * resource_manager fields as before. Last, through the real server, with no admin client at all.
 */
class HealthReportTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final BrokerWatch.Status KAFKA_UP = new BrokerWatch.Status(true, NOW.minusSeconds(60), null);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Liveness liveness = new Liveness(clock);
    private final AtomicInteger asked = new AtomicInteger();
    private final EventCodec codec = new EventCodec();

    private static LoopHealth running(String loop, Instant progress) {
        return new LoopHealth(loop, State.RUNNING, progress, null, null, 0);
    }

    private HealthReport.Answer answer(BrokerWatch.Status kafka, boolean rmAnswers) {
        return HealthReport.of(liveness.loops(), liveness::up, NOW, kafka, () -> {
            asked.incrementAndGet();
            return rmAnswers;
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> loops(HealthReport.Answer a) {
        return (List<Map<String, Object>>) a.body().get("loops");
    }

    @Test
    void everyLoopUpAndTheResourceManagerAnsweringIsUp() {
        liveness.register("cms-web-live", () -> running("cms-web-live", NOW.minusMillis(150)));
        liveness.register("cms-rm", () -> new LoopHealth("cms-rm", State.STARTING, null,
                null, null, 0));
        HealthReport.Answer a = answer(KAFKA_UP, true);
        assertEquals(200, a.status());
        assertFalse(a.retryLater());
        assertEquals("UP", a.body().get("status"));
        assertEquals("UP", a.body().get("kafka"));
        assertEquals("UP", a.body().get("resource_manager"));
        assertEquals(1, asked.get());
        List<Map<String, Object>> loops = loops(a);
        assertEquals(List.of("cms-rm", "cms-web-live"), loops.stream().map(l -> l.get("loop")).toList());
        assertEquals(Map.of("loop", "cms-web-live", "state", "RUNNING", "up", true, "last_progress",
                "2025-03-01T09:59:59.850Z", "since_progress_ms", 150L, "reopened", 0), loops.get(1));
        assertEquals(Map.of("loop", "cms-rm", "state", "STARTING", "up", true, "reopened", 0),
                loops.get(0));
    }

    @Test
    void aRetryingLoopIsDownAtOnceWithItsFaultAndTheResourceManagerIsNotAsked() {
        liveness.register("cms-web-live", () -> running("cms-web-live", NOW));
        liveness.register("cms-web-jobs", () -> new LoopHealth("cms-web-jobs", State.RETRYING, NOW.minusSeconds(20),
                NOW.minusSeconds(12), "TimeoutException: no broker", 3));
        HealthReport.Answer a = answer(KAFKA_UP, true);
        assertEquals(503, a.status());
        assertTrue(a.retryLater());
        assertEquals("DOWN", a.body().get("status"));
        assertEquals("UNKNOWN", a.body().get("resource_manager"));
        assertEquals(0, asked.get(), "no round trip while a loop is known down");
        Map<String, Object> jobs = loops(a).get(0);
        assertEquals(false, jobs.get("up"));
        assertEquals("RETRYING", jobs.get("state"));
        assertEquals("2025-03-01T09:59:48Z", jobs.get("fault_since"));
        assertEquals("TimeoutException: no broker", jobs.get("last_fault"));
        assertEquals(20_000L, jobs.get("since_progress_ms"));
        assertEquals(3, jobs.get("reopened"));
        assertEquals(true, loops(a).get(1).get("up"));
    }

    @Test
    void aFailedLoopIsDown() {
        liveness.register("cms-balancer", () -> new LoopHealth("cms-balancer", State.FAILED, NOW.minusSeconds(2),
                NOW.minusSeconds(1), "AuthorizationException: denied", 0));
        HealthReport.Answer a = answer(KAFKA_UP, true);
        assertEquals(503, a.status());
        assertEquals("DOWN", a.body().get("status"));
        assertEquals("FAILED", loops(a).get(0).get("state"));
        assertEquals(0, asked.get());
    }

    @Test
    void aRunningLoopWithoutProgressForTheStaleTimeIsStuck() {
        liveness.register("fresh", () -> running("fresh", NOW.minus(Liveness.STALE)));
        assertEquals(200, answer(KAFKA_UP, true).status(), "progress exactly STALE ago is still up");
        liveness.register("stuck", () -> running("stuck", NOW.minus(Liveness.STALE).minusMillis(1)));
        HealthReport.Answer a = answer(KAFKA_UP, true);
        assertEquals(503, a.status());
        assertEquals("DOWN", a.body().get("status"));
        Map<String, Object> stuck = loops(a).get(1);
        assertEquals("stuck", stuck.get("loop"));
        assertEquals("RUNNING", stuck.get("state"));
        assertEquals(false, stuck.get("up"));
        assertEquals(30_001L, stuck.get("since_progress_ms"));
    }

    @Test
    void kafkaUnreachableIsDegradedWithoutAskingAndTheResourceManagerNotAnsweringIsDegradedToo() {
        liveness.register("cms-web-live", () -> running("cms-web-live", NOW));
        HealthReport.Answer away = answer(new BrokerWatch.Status(false, NOW.minusSeconds(3), "TimeoutException: x"),
                true);
        assertEquals(503, away.status());
        assertTrue(away.retryLater());
        assertEquals("DEGRADED", away.body().get("status"));
        assertEquals("UNREACHABLE since 2025-03-01T09:59:57Z: TimeoutException: x", away.body().get("kafka"));
        assertEquals("UNKNOWN", away.body().get("resource_manager"));
        assertEquals(0, asked.get());

        HealthReport.Answer rmDown = answer(KAFKA_UP, false);
        assertEquals(503, rmDown.status());
        assertFalse(rmDown.retryLater());
        assertEquals("DEGRADED", rmDown.body().get("status"));
        assertEquals("DOWN", rmDown.body().get("resource_manager"));
    }

    @Test
    void theServerAnswersWithTheLoopsAtOnceWhenOneIsDown() throws Exception {
        liveness.register("cms-web-replies", () -> new LoopHealth("cms-web-replies", State.RETRYING, null, NOW,
                "TimeoutException: no broker", 1));
        TestWeb web = new TestWeb();
        web.liveness = liveness;
        WebServer server = web.start();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url() + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("5", r.headers().firstValue("Retry-After").orElse(null));
            JsonNode body = codec.mapper().readTree(r.body());
            assertEquals("DOWN", body.path("status").asText());
            assertEquals("UP", body.path("kafka").asText());
            assertEquals("UNKNOWN", body.path("resource_manager").asText());
            assertEquals("cms-web-replies", body.path("loops").path(0).path("loop").asText());
            assertEquals("RETRYING", body.path("loops").path(0).path("state").asText());
            assertFalse(body.path("loops").path(0).has("last_progress"));
        } finally {
            server.close();
        }
    }
}
