package cms.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.MetricSample;
import cms.core.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BalancerMetersTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BalancerMeters meters = new BalancerMeters(registry);

    @Test
    void aPodsTrafficAndResponseTimesInSeconds() {
        meters.published(Topics.METRICS, new MetricSample.PodSample("s", 1, T0, "light", 12.5, 3, 1, 20.0, 80.0, 120.0,
                0.5, null, 30.0, "haproxy"));
        assertEquals(12.5, registry.get("cms.pod.requests.per.second").tag("pod", "light").gauge().value());
        assertEquals(0.5, registry.get("cms.pod.errors.per.second").tag("pod", "light").gauge().value());
        assertEquals(3.0, registry.get("cms.pod.requests.in.flight").tag("pod", "light").gauge().value());
        assertEquals(1.0, registry.get("cms.pod.requests.queued").tag("pod", "light").gauge().value());
        assertEquals(0.08, registry.get("cms.pod.response.time").tags("pod", "light", "percentile", "p95").gauge()
                .value(), 1e-12);
        assertEquals(0.03, registry.get("cms.pod.response.time").tags("percentile", "mean").gauge().value(), 1e-12);
        assertEquals("seconds", registry.get("cms.pod.response.time").gauge().getId().getBaseUnit());
    }

    @Test
    void whatABackendDoesNotMeasureIsNotShownAndTheResourceManagersJobSamplesAreNotTraffic() {
        meters.published(Topics.METRICS, new MetricSample.PodSample("s", 1, T0, "light", 2.0, 0, 0, null, null, null,
                0.0, null, 15.0, "embedded"));
        meters.published(Topics.METRICS, new MetricSample.PodSample("r", 1, T0, "heavy", null, null, null, null, null,
                null, null, 4, null, MetricSample.PodSample.RESOURCE_MANAGER, 1));
        assertEquals(1, registry.find("cms.pod.response.time").gauges().size());
        assertTrue(registry.find("cms.pod.requests.per.second").tag("pod", "heavy").gauges().isEmpty());
    }

    @Test
    void aPodNoLongerSampledGoes() {
        meters.published(Topics.METRICS, new MetricSample.PodSample("s", 1, T0, "gone", 1.0, 0, 0, null, null, null,
                0.0, null, 15.0, "haproxy"));
        meters.published(Topics.METRICS, new MetricSample.PodSample("s", 1, T0.plus(BalancerMeters.STALE).plusSeconds(1),
                "light", 1.0, 0, 0, null, null, null, 0.0, null, 15.0, "haproxy"));
        assertTrue(registry.find("cms.pod.requests.per.second").tag("pod", "gone").gauges().isEmpty());
        assertTrue(registry.find("cms.pod.response.time").tag("pod", "gone").gauges().isEmpty());
        assertEquals(1, registry.find("cms.pod.requests.per.second").gauges().size());
    }
}
