package cms.nodedaemon;

import cms.core.event.Event;
import cms.core.event.HostEvent;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.metrics.EventTap;
import cms.core.metrics.LabelledGauges;
import cms.core.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;

/**
 * A node daemon's usage readings as gauges, from the samples and heartbeats it publishes: each node's CPU (a share of
 * its CPU limit) and memory, and the host's capacity and use. A node's series go when it stops or fails, or when it
 * has not been sampled for {@link #STALE}.
 */
public final class NodeMeters implements EventTap {

    /** A node not sampled for this long is gone (samples come every second or so). */
    static final Duration STALE = Duration.ofSeconds(30);
    private static final long MIB = 1024L * 1024;

    private final String hostId;
    private final LabelledGauges cpu;
    private final LabelledGauges memory;
    private final LabelledGauges hostCpu;
    private final LabelledGauges hostCpuUsed;
    private final LabelledGauges hostMemory;
    private final LabelledGauges hostMemoryUsed;

    public NodeMeters(MeterRegistry registry, String hostId) {
        this.hostId = hostId;
        this.cpu = new LabelledGauges(registry, "cms.node.cpu.usage.ratio",
                "CPU a node uses, as a share of its CPU limit (1 = all of it)", null);
        this.memory = new LabelledGauges(registry, "cms.node.memory.usage", "Memory a node uses", "bytes");
        this.hostCpu = new LabelledGauges(registry, "cms.host.cpu.cores", "CPU cores of the host", null);
        this.hostCpuUsed = new LabelledGauges(registry, "cms.host.cpu.used.cores", "CPU cores the host's nodes use",
                null);
        this.hostMemory = new LabelledGauges(registry, "cms.host.memory", "Memory of the host", "bytes");
        this.hostMemoryUsed = new LabelledGauges(registry, "cms.host.memory.used", "Memory the host's nodes use",
                "bytes");
    }

    @Override
    public synchronized void published(Topics topic, Event event) {
        if (event instanceof MetricSample.NodeSample s) {
            Tags tags = Tags.of("host", hostId, "pod", s.pod(), "node", s.node());
            cpu.set(tags, s.cpuShare(), s.at());
            memory.set(tags, s.memoryMb() * (double) MIB, s.at());
            cpu.removeOlderThan(s.at().minus(STALE));
            memory.removeOlderThan(s.at().minus(STALE));
        } else if (event instanceof NodeEvent.NodeStopped || event instanceof NodeEvent.NodeFailed) {
            String node = ((NodeEvent) event).node();
            cpu.removeIf(t -> LabelledGauges.has(t, "node", node));
            memory.removeIf(t -> LabelledGauges.has(t, "node", node));
        } else if (event instanceof HostEvent.HostHeartbeat h) {
            Tags tags = Tags.of("host", h.hostId());
            hostCpu.set(tags, h.cpuCores(), h.at());
            hostCpuUsed.set(tags, h.cpuUsed(), h.at());
            hostMemory.set(tags, h.memoryMb() * (double) MIB, h.at());
            hostMemoryUsed.set(tags, h.memoryUsedMb() * (double) MIB, h.at());
        }
    }
}
