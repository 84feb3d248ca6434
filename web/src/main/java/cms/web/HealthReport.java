package cms.web;

import cms.core.kafka.BrokerWatch;
import cms.core.kafka.LoopHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What {@code GET /api/health} answers, from what this process knows: every loop of the process with its
 * state and last progress, Kafka as the broker watch last saw it, and the resource manager as it answered
 * a small request. {@code status} is DOWN (503) when a loop is retrying, failed or stuck; else DEGRADED
 * (503) when Kafka is unreachable or the resource manager does not answer; else UP (200). The resource
 * manager is asked only when every loop is up and Kafka reachable, so the answer is at once when a part is
 * known to be down.
 */
final class HealthReport {

    /** The HTTP status, the body, and whether to ask again later ({@code Retry-After}). */
    record Answer(int status, Map<String, Object> body, boolean retryLater) {
    }

    private HealthReport() {
    }

    /**
     * @param up              whether a loop counts as up now (not retrying, failed nor stuck)
     * @param resourceManager asks the resource manager; true when it answered in time
     */
    static Answer of(List<LoopHealth> loops, Predicate<LoopHealth> up, Instant now, BrokerWatch.Status kafka,
                     BooleanSupplier resourceManager) {
        Map<String, Object> body = new LinkedHashMap<>();
        List<Map<String, Object>> shown = new ArrayList<>();
        boolean loopsUp = true;
        for (LoopHealth h : loops) {
            boolean isUp = up.test(h);
            loopsUp &= isUp;
            shown.add(loop(h, isUp, now));
        }
        String rm;
        if (!kafka.reachable() || !loopsUp) {
            rm = "UNKNOWN";
        } else {
            rm = resourceManager.getAsBoolean() ? "UP" : "DOWN";
        }
        String status = !loopsUp ? "DOWN" : !kafka.reachable() || !rm.equals("UP") ? "DEGRADED" : "UP";
        body.put("status", status);
        body.put("kafka", kafka.reachable() ? "UP" : "UNREACHABLE since " + kafka.since() + ": " + kafka.reason());
        body.put("resource_manager", rm);
        body.put("loops", shown);
        return new Answer(status.equals("UP") ? 200 : 503, body, !loopsUp || !kafka.reachable());
    }

    /** One loop as the health answer shows it; absent fields are not written. */
    private static Map<String, Object> loop(LoopHealth h, boolean up, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("loop", h.loop());
        out.put("state", h.state().name());
        out.put("up", up);
        if (h.lastProgress() != null) {
            out.put("last_progress", h.lastProgress().toString());
            out.put("since_progress_ms", Math.max(0, Duration.between(h.lastProgress(), now).toMillis()));
        }
        if (h.faultSince() != null) {
            out.put("fault_since", h.faultSince().toString());
        }
        if (h.lastFault() != null) {
            out.put("last_fault", h.lastFault());
        }
        out.put("reopened", h.reopened());
        return out;
    }
}
