package cms.rm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.model.ElasticityPolicy;
import cms.core.model.Host;
import cms.core.model.HostState;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.rm.model.CloudState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CloudStateMetersTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<CloudState> state = new AtomicReference<>(CloudState.empty());
    private final CloudStateMeters meters = new CloudStateMeters(registry, state::get);

    @Test
    void podsNodesAndHostsByStateFromTheStateAtEachRefresh() {
        state.set(new CloudState(Map.of("light", pod("light", false, ElasticityPolicy.disabled().enable(1, 5),
                        node("light", "light-1", NodeState.ONLINE), node("light", "light-2", NodeState.ONLINE),
                        node("light", "light-3", NodeState.STARTING)),
                "heavy", pod("heavy", true, ElasticityPolicy.disabled())), T0,
                Map.of("h1", new Host("h1", "10.0.0.1", 4, 4096, T0),
                        "h2", new Host("h2", "10.0.0.2", 4, 4096, T0).in(HostState.LOST, "silent"))));
        meters.refresh();
        assertEquals(1.0, value("cms.pods", "state", "active"));
        assertEquals(1.0, value("cms.pods", "state", "paused"));
        assertEquals(2.0, registry.get("cms.nodes").tags("pod", "light", "state", "ONLINE").gauge().value());
        assertEquals(1.0, registry.get("cms.nodes").tags("pod", "light", "state", "STARTING").gauge().value());
        assertEquals(0.0, registry.get("cms.nodes").tags("pod", "heavy", "state", "ONLINE").gauge().value());
        assertEquals(NodeState.values().length * 2, registry.find("cms.nodes").gauges().size());
        assertEquals(1.0, value("cms.hosts", "state", "READY"));
        assertEquals(1.0, value("cms.hosts", "state", "LOST"));
        assertEquals(5.0, registry.get("cms.pod.elasticity.max.nodes").tag("pod", "light").gauge().value());
        assertTrue(registry.find("cms.pod.elasticity.max.nodes").tag("pod", "heavy").gauges().isEmpty());
    }

    @Test
    void aRemovedPodsSeriesGoAtTheNextRefresh() {
        state.set(new CloudState(Map.of("light", pod("light", false, ElasticityPolicy.disabled().enable(1, 5),
                node("light", "light-1", NodeState.ONLINE))), T0, Map.of()));
        meters.refresh();
        state.set(CloudState.empty());
        meters.refresh();
        assertTrue(registry.find("cms.nodes").gauges().isEmpty());
        assertTrue(registry.find("cms.pod.elasticity.min.nodes").gauges().isEmpty());
        assertEquals(0.0, value("cms.pods", "state", "active"));
    }

    private double value(String name, String key, String tag) {
        return registry.get(name).tag(key, tag).gauge().value();
    }

    private static Pod pod(String name, boolean paused, ElasticityPolicy policy, Node... nodes) {
        return new Pod(name, Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, paused, policy, List.of(nodes), T0);
    }

    private static Node node(String pod, String name, NodeState state) {
        return new Node(name, pod, state, "h1", "10.0.0.1", 20001, false, null, T0);
    }
}
