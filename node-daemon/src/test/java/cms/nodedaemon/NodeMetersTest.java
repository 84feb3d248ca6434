package cms.nodedaemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.HostEvent;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeMetersTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NodeMeters meters = new NodeMeters(registry, "h1");

    @Test
    void eachNodesCpuAndMemoryAndTheHostsCapacityAndUse() {
        meters.published(Topics.METRICS, new MetricSample.NodeSample("s1", 1, T0, "light-1", "light", 0.25, 64));
        meters.published(Topics.HOST_EVENTS, new HostEvent.HostHeartbeat("h", 1, T0, "h1", "10.0.0.1", 4, 2048, 1.5,
                512));
        assertEquals(0.25, registry.get("cms.node.cpu.usage.ratio").tags("host", "h1", "pod", "light", "node", "light-1")
                .gauge().value());
        assertEquals(64.0 * 1024 * 1024, registry.get("cms.node.memory.usage").tag("node", "light-1").gauge().value());
        assertEquals("bytes", registry.get("cms.node.memory.usage").gauge().getId().getBaseUnit());
        assertEquals(4.0, registry.get("cms.host.cpu.cores").tag("host", "h1").gauge().value());
        assertEquals(1.5, registry.get("cms.host.cpu.used.cores").tag("host", "h1").gauge().value());
        assertEquals(512.0 * 1024 * 1024, registry.get("cms.host.memory.used").tag("host", "h1").gauge().value());
    }

    @Test
    void aStoppedOrSilentNodesSeriesGo() {
        meters.published(Topics.METRICS, new MetricSample.NodeSample("s1", 1, T0, "light-1", "light", 0.25, 64));
        meters.published(Topics.METRICS, new MetricSample.NodeSample("s2", 1, T0, "light-2", "light", 0.5, 64));
        meters.published(Topics.NODE_EVENTS, new NodeEvent.NodeStopped("e", 1, T0, "light-1", "light", "h1"));
        assertTrue(registry.find("cms.node.cpu.usage.ratio").tag("node", "light-1").gauges().isEmpty());
        assertEquals(1, registry.find("cms.node.memory.usage").gauges().size());

        // light-2 went without a word (the daemon restarted): its last sample grows old and goes
        meters.published(Topics.METRICS, new MetricSample.NodeSample("s3", 1, T0.plus(NodeMeters.STALE).plusSeconds(1),
                "light-3", "light", 0.1, 32));
        assertTrue(registry.find("cms.node.cpu.usage.ratio").tag("node", "light-2").gauges().isEmpty());
        assertEquals(1, registry.find("cms.node.cpu.usage.ratio").gauges().size());
    }
}
