package cms.rm.metrics;

import cms.core.model.HostState;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.rm.model.CloudState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The resource manager's state as gauges, read from its current (immutable) state at each scrape: pods by state
 * ({@code active}, {@code paused}), each pod's nodes by state (every state, 0 included), hosts by state, and each
 * pod's elasticity bounds. A removed pod's series go at the next scrape.
 */
public final class CloudStateMeters {

    private final Supplier<CloudState> state;
    private final MultiGauge pods;
    private final MultiGauge nodes;
    private final MultiGauge hosts;
    private final MultiGauge minNodes;
    private final MultiGauge maxNodes;

    public CloudStateMeters(MeterRegistry registry, Supplier<CloudState> state) {
        this.state = state;
        this.pods = MultiGauge.builder("cms.pods").description("Pods by state (active or paused)").register(registry);
        this.nodes = MultiGauge.builder("cms.nodes").description("Nodes of each pod by state").register(registry);
        this.hosts = MultiGauge.builder("cms.hosts").description("Hosts by state").register(registry);
        this.minNodes = MultiGauge.builder("cms.pod.elasticity.min.nodes")
                .description("A pod's elasticity MIN (pods with elasticity enabled)").register(registry);
        this.maxNodes = MultiGauge.builder("cms.pod.elasticity.max.nodes")
                .description("A pod's elasticity MAX (pods with elasticity enabled)").register(registry);
    }

    /** Sets every series from the state now (called before each scrape). */
    public void refresh() {
        CloudState now = state.get();
        long paused = now.pods().values().stream().filter(Pod::paused).count();
        pods.register(List.of(row(Tags.of("state", "active"), now.pods().size() - paused),
                row(Tags.of("state", "paused"), paused)), true);
        List<MultiGauge.Row<?>> nodeRows = new ArrayList<>();
        List<MultiGauge.Row<?>> minRows = new ArrayList<>();
        List<MultiGauge.Row<?>> maxRows = new ArrayList<>();
        for (Pod pod : now.pods().values()) {
            for (NodeState s : NodeState.values()) {
                nodeRows.add(row(Tags.of("pod", pod.name(), "state", s.name()), pod.count(s)));
            }
            if (pod.elasticity().enabled()) {
                minRows.add(row(Tags.of("pod", pod.name()), pod.elasticity().min()));
                maxRows.add(row(Tags.of("pod", pod.name()), pod.elasticity().max()));
            }
        }
        nodes.register(nodeRows, true);
        minNodes.register(minRows, true);
        maxNodes.register(maxRows, true);
        Map<HostState, Long> byState = new EnumMap<>(HostState.class);
        for (HostState s : HostState.values()) {
            byState.put(s, 0L);
        }
        now.hosts().values().forEach(h -> byState.merge(h.state(), 1L, Long::sum));
        List<MultiGauge.Row<?>> hostRows = new ArrayList<>();
        byState.forEach((s, n) -> hostRows.add(row(Tags.of("state", s.name()), n)));
        hosts.register(hostRows, true);
    }

    private static MultiGauge.Row<?> row(Tags tags, double value) {
        return MultiGauge.Row.of(tags, value);
    }
}
