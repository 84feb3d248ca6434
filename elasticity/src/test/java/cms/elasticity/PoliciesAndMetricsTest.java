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

/** Stored settings to the decision code's policy, and the metrics from their samples. */
class PoliciesAndMetricsTest {

    /** The window the values are read over here (the scale-out smoothing of the service's default). */
    private static final Duration W = Duration.ofSeconds(3);

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
    void aPodsOwnWindowsAndCoolDownsOverrideTheServicesSettings() {
        ElasticityPolicy own = new ElasticityPolicy(true, 1, 5, 0.2, 0.8).withTimeRules(1, 90, null, 0);
        ScalingPolicy p = Policies.of(own, CONFIG);
        assertEquals(Duration.ofSeconds(1), p.scaleOutWindow());
        assertEquals(Duration.ofSeconds(90), p.scaleInWindow(), "over the service's 8 s");
        assertEquals(ScalingPolicy.SCALE_OUT_COOLDOWN, p.scaleOutCooldown(), "not set: the service's");
        assertEquals(Duration.ZERO, p.scaleInCooldown());
        ScalingPolicy target = Policies.of(new ElasticityPolicy(true, 1, 5, 0.2, 0.8, "target", "rps", 40.0, null)
                .withTimeRules(null, 20, null, null), CONFIG);
        assertEquals(Duration.ofSeconds(20), target.scaleInWindow(), "in target mode too");
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
        assertEquals((0.8 + 0.2) / 2, u.of(pod, T0.plusSeconds(2), W).getAsDouble(), 1e-9, "STARTING n2 left out");
        assertEquals((0.6 + 0.2) / 2, u.of(pod, T0.plusMillis(3500), W).getAsDouble(), 1e-9, "old samples dropped");
        assertTrue(u.of(pod, T0.plusSeconds(10), W).isEmpty(), "no recent sample: no value");
    }

    private static MetricSample.PodSample balancer(int second, Double rps, Double p95, Double mean) {
        return new MetricSample.PodSample("b" + second, 1, T0.plusSeconds(second), "web", rps, 2, 0, null, p95, null,
                0.0, null, mean, "haproxy");
    }

    private static MetricSample.PodSample jobs(int second, int queued, Integer running) {
        return new MetricSample.PodSample("j" + second, 1, T0.plusSeconds(second), "web", null, null, null, null, null,
                null, null, queued, null, "rm", running);
    }

    @Test
    void requestRateIsPerOnlineNodeFromTheBalancersSamples() {
        PodTraffic t = new PodTraffic(Duration.ofSeconds(3));
        t.add(balancer(0, 100.0, null, 3.0));
        t.add(balancer(1, 140.0, null, 3.0));
        t.add(jobs(1, 7, 2));
        assertEquals(60.0, t.requestRate("web", 2, T0.plusSeconds(2), W).getAsDouble(), 1e-9,
                "(100+140)/2 per second over 2 nodes; the job sample measured no traffic");
        assertTrue(t.requestRate("web", 0, T0.plusSeconds(2), W).isEmpty(), "no ONLINE node: no value");
        assertTrue(t.requestRate("api", 2, T0.plusSeconds(2), W).isEmpty(), "no sample of that pod");
        assertEquals(140.0 / 2, t.requestRate("web", 2, T0.plusMillis(3500), W).getAsDouble(), 1e-9, "old ones dropped");
    }

    @Test
    void latencyIsTheP95WhereTheBalancerMeasuresOneElseTheMeanResponseTime() {
        PodTraffic t = new PodTraffic(Duration.ofSeconds(3));
        t.add(balancer(0, 10.0, 180.0, 90.0));
        t.add(balancer(1, 10.0, null, 120.0)); // HAProxy: a mean, no percentiles
        t.add(jobs(1, 3, 1));
        assertEquals(150.0, t.latency("web", 2, T0.plusSeconds(2), W).getAsDouble(), 1e-9, "(180 + 120) / 2, not per node");
        assertTrue(t.latency("web", 0, T0.plusSeconds(2), W).isEmpty(), "no ONLINE node: nothing answers");
        PodTraffic none = new PodTraffic(Duration.ofSeconds(3));
        none.add(balancer(0, 0.0, null, null));
        assertTrue(none.latency("web", 1, T0.plusSeconds(1), W).isEmpty(), "no response time measured yet");
    }

    @Test
    void queueIsJobsQueuedAndRunningPerOnlineNodeAndTheWholeQueueWithoutOne() {
        PodTraffic t = new PodTraffic(Duration.ofSeconds(3));
        t.add(jobs(0, 10, 2));
        t.add(jobs(1, 6, null)); // a resource manager from before jobsRunning
        t.add(balancer(1, 50.0, 20.0, 10.0));
        assertEquals((12 + 6) / 2.0 / 3, t.queue("web", 3, T0.plusSeconds(2), W).getAsDouble(), 1e-9);
        assertEquals((12 + 6) / 2.0, t.queue("web", 0, T0.plusSeconds(2), W).getAsDouble(), 1e-9, "at 0 nodes: all of it");
        assertEquals(6.0, t.queue("web", 1, T0.plusMillis(3500), W).getAsDouble(), 1e-9);
        assertTrue(t.queue("web", 1, T0.plusSeconds(10), W).isEmpty(), "no recent job sample: no value, not 0");
    }
}
