package cms.elasticity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.Settings;
import cms.core.event.MetricSample;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.elasticity.policy.Metric;
import cms.elasticity.policy.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stored settings to the decision code's policy, and the two metrics from their samples. */
class PoliciesAndMetricsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ElasticityConfig CONFIG = ElasticityConfig.from(new Settings(Map.of(
            "CMS_KAFKA", "localhost:9092", "CMS_ELASTICITY_SCALE_IN_WINDOW_MS", "8000")));

    private static Pod pod(NodeState... states) {
        List<Node> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            nodes.add(new Node("n" + i, "web", states[i], "h1", "127.0.0.1", 30000 + i, false, null, T0));
        }
        return new Pod("web", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false,
                ElasticityPolicy.disabled(), nodes, T0);
    }

    @Test
    void storedSettingsBecomeTheDecisionPolicy() {
        ScalingPolicy threshold = Policies.of(new ElasticityPolicy(true, 1, 5, 0.3, 0.7), CONFIG);
        assertEquals(ScalingPolicy.Mode.THRESHOLD, threshold.mode());
        assertEquals(ScalingPolicy.Step.PROPORTIONAL, threshold.step(), "the default step");
        assertEquals(0.3, threshold.lower());
        assertEquals(Duration.ofSeconds(8), threshold.scaleInWindow(), "the service's setting");
        assertEquals(ScalingPolicy.SCALE_OUT_WINDOW, threshold.scaleOutWindow(), "the default");
        ScalingPolicy one = Policies.of(new ElasticityPolicy(true, 1, 5, 0.3, 0.7, null, null, null, "one"), CONFIG);
        assertEquals(ScalingPolicy.Step.ONE, one.step());
        ScalingPolicy target = Policies.of(new ElasticityPolicy(true, 2, 6, 0.2, 0.8, "target", "rps", 40.0, null),
                CONFIG);
        assertEquals(ScalingPolicy.Mode.TARGET, target.mode());
        assertEquals(40.0, target.target());
        assertEquals(2, target.min());
        assertEquals(6, target.max());
    }

    @Test
    void theMetricIsKnownByItsNameOrNotEvaluated() {
        assertEquals(Optional.of(Metric.CPU), Policies.metric(new ElasticityPolicy(true, 1, 5, 0.3, 0.7)));
        assertEquals(Optional.of(Metric.RPS), Policies.metric(new ElasticityPolicy(true, 1, 5, 0.2, 0.8, "target",
                "rps", 40.0, null)));
        assertEquals(Optional.empty(), Policies.metric(new ElasticityPolicy(true, 1, 5, 0.2, 0.8, null, "gpu", null,
                null)), "set by a newer resource manager");
        for (String name : ElasticityPolicy.METRICS) {
            assertEquals(name, Metric.of(name).label(), "every metric the resource manager accepts is known here");
        }
    }

    @Test
    void utilisationIsTheMeanOverOnlineNodesOfTheirSmoothedShares() {
        PodUtilisation u = new PodUtilisation(Duration.ofSeconds(3));
        Pod pod = pod(NodeState.ONLINE, NodeState.ONLINE, NodeState.STARTING);
        u.add(new MetricSample.NodeSample("a", 1, T0, "n0", "web", 1.0, 50));
        u.add(new MetricSample.NodeSample("b", 1, T0.plusSeconds(1), "n0", "web", 0.6, 50));
        u.add(new MetricSample.NodeSample("c", 1, T0.plusSeconds(1), "n1", "web", 0.2, 50));
        u.add(new MetricSample.NodeSample("d", 1, T0.plusSeconds(1), "n2", "web", 0.9, 50));
        assertEquals((0.8 + 0.2) / 2, u.of(pod, T0.plusSeconds(2)).getAsDouble(), 1e-9, "STARTING n2 left out");
        assertEquals((0.6 + 0.2) / 2, u.of(pod, T0.plusMillis(3500)).getAsDouble(), 1e-9, "old samples dropped");
        assertTrue(u.of(pod, T0.plusSeconds(10)).isEmpty(), "no recent sample: no value");
    }

    @Test
    void requestRateIsPerOnlineNodeFromTheBalancersSamples() {
        PodRequestRate r = new PodRequestRate(Duration.ofSeconds(3));
        Pod pod = pod(NodeState.ONLINE, NodeState.ONLINE, NodeState.DRAINING);
        r.add(new MetricSample.PodSample("a", 1, T0, "web", 100.0, 2, 0, null, null, null, 0.0, null, 3.0, "haproxy"));
        r.add(new MetricSample.PodSample("b", 1, T0.plusSeconds(1), "web", 140.0, 2, 0, null, null, null, 0.0, null,
                3.0, "haproxy"));
        r.add(new MetricSample.PodSample("c", 1, T0.plusSeconds(1), "web", null, null, null, null, null, null, null,
                7, null, "resource-manager"));
        assertEquals(60.0, r.of(pod, T0.plusSeconds(2)).getAsDouble(), 1e-9, "(100+140)/2 per second over 2 nodes");
        assertTrue(r.of(pod(NodeState.STARTING), T0.plusSeconds(2)).isEmpty(), "no ONLINE node: no value");
    }
}
