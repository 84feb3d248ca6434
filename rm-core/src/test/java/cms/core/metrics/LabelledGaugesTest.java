package cms.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelledGaugesTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LabelledGauges gauges = new LabelledGauges(registry, "cms.test", "a test", "bytes");

    @Test
    void oneSeriesPerLabelSetHoldsTheLastValue() {
        gauges.set(Tags.of("pod", "a"), 1, T0);
        gauges.set(Tags.of("pod", "a"), 2, T0.plusSeconds(1));
        gauges.set(Tags.of("pod", "b"), 5, T0);
        assertEquals(2.0, registry.get("cms.test").tag("pod", "a").gauge().value());
        assertEquals(5.0, registry.get("cms.test").tag("pod", "b").gauge().value());
        assertEquals(2, registry.find("cms.test").gauges().size());
    }

    @Test
    void aRemovedOrStaleSeriesLeavesTheRegistry() {
        gauges.set(Tags.of("pod", "a", "node", "a-1"), 1, T0);
        gauges.set(Tags.of("pod", "a", "node", "a-2"), 1, T0.plusSeconds(40));
        gauges.set(Tags.of("pod", "b", "node", "b-1"), 1, T0.plusSeconds(40));
        gauges.removeOlderThan(T0.plusSeconds(10));
        assertEquals(Set.of(Tags.of("pod", "a", "node", "a-2"), Tags.of("pod", "b", "node", "b-1")), gauges.labelSets());
        gauges.removeIf(t -> LabelledGauges.has(t, "pod", "a"));
        assertEquals(Set.of(Tags.of("pod", "b", "node", "b-1")), gauges.labelSets());
        assertEquals(1, registry.find("cms.test").gauges().size());
    }
}
