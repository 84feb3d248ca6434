package cms.elasticity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.core.config.Settings;
import cms.core.event.MetricSample;
import cms.core.event.ScalingDecision;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.elasticity.policy.Metric;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.policy.Strategies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scale from zero on requests, on a fake clock, one evaluation a second as the service's loop does, with a
 * hand-made resource manager that applies each decision (a new node is STARTING for 2 s, then ONLINE): a pod with
 * MIN 0 on rps whose balancer holds its requests wakes at once when requests wait, goes back to 0 after its own
 * scale-in window without traffic, and does not flap at 0.
 */
class ScaleFromZeroTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The service's windows are long: the pod's own 5 s scale-in window and 1 s cool-down must apply. */
    private final ScalingEvaluator evaluator = new ScalingEvaluator(ElasticityConfig.from(new Settings(Map.of(
            "CMS_KAFKA", "localhost:9092", "CMS_ELASTICITY_SCALE_IN_WINDOW_MS", "600000",
            "CMS_ELASTICITY_SCALE_OUT_WINDOW_MS", "60000"))));
    private final ElasticityPolicy elasticity = new ElasticityPolicy(true, 0, 2, 0.2, 0.8, "target", "rps", 10.0, null)
            .withTimeRules(null, 5, null, 1);
    private final List<Node> nodes = new ArrayList<>();
    private final List<Integer> startedAt = new ArrayList<>();
    private final List<String> decisions = new ArrayList<>();

    private Pod pod(int second) {
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.state() == NodeState.STARTING && second >= startedAt.get(i) + 2) {
                nodes.set(i, new Node(n.name(), "web", NodeState.ONLINE, "h1", "127.0.0.1", 30000 + i, false, null,
                        T0.plusSeconds(second)));
            }
        }
        return new Pod("web", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false, elasticity,
                List.copyOf(nodes), T0);
    }

    private void tick(int second) {
        for (ScalingDecision d : evaluator.evaluate(Map.of("web", pod(second)), T0.plusSeconds(second))) {
            decisions.add(second + ": " + d.reason());
            while (nodes.size() < d.toNodes()) {
                nodes.add(new Node("web-" + (nodes.size() + 1), "web", NodeState.STARTING, "h1", null, null, false,
                        null, T0.plusSeconds(second)));
                startedAt.add(second);
            }
            while (nodes.size() > d.toNodes()) {
                nodes.remove(nodes.size() - 1);
                startedAt.remove(startedAt.size() - 1);
            }
        }
    }

    /** The balancer's sample of the pod: requests/s through its frontend, and the requests its activator holds. */
    private void balancer(int second, double rps, Integer waiting) {
        evaluator.add(new MetricSample.PodSample("b" + second, 1, T0.plusSeconds(second), "web", rps, 0, 0, null, null,
                null, 0.0, null, null, "haproxy", null, waiting));
    }

    private long online() {
        return nodes.stream().filter(n -> n.state() == NodeState.ONLINE).count();
    }

    @Test
    void waitingRequestsWakeThePodAtOnceAndItGoesBackToZeroAfterItsIdleWindowWithoutFlapping() {
        for (int s = 0; s < 10; s++) {
            balancer(s, 0, 0);
            tick(s);
        }
        assertEquals(List.of(), decisions, "no request, no node: the pod stays at 0");
        // two requests arrive at second 10: the balancer reports them at once; they are served once the node is up
        for (int s = 10; s <= 40; s++) {
            boolean held = online() == 0 && s < 13;
            balancer(s, s < 13 ? 2 : 0, held ? 2 : 0);
            tick(s);
            if (s == 10) {
                assertEquals(List.of("10: from zero: 2 request(s) waiting with no node: 0 → 1 nodes"), decisions,
                        "no scale-out window: the first request is waiting");
            }
        }
        assertEquals(2, decisions.size(), () -> "woken once, shrunk once: " + decisions);
        // ONLINE at 12, the last requests at 12 leave the 3 s smoothing at 16, and 5 s of wanting 0 have passed at 21
        assertEquals("21: rps 0.00 vs target 10.00 for the last 5 s: 1 → 0 nodes", decisions.get(1));
        assertEquals(List.of(), nodes, "back at 0, and no wake without a request waiting");
    }

    @Test
    void withoutABalancerSampleSayingRequestsWaitThePodStaysAtZero() {
        for (int s = 0; s < 20; s++) {
            if (s % 2 == 0) {
                // a balancer that does not hold this pod's requests (an older one) reports rps only
                evaluator.add(new MetricSample.PodSample("b" + s, 1, T0.plusSeconds(s), "web", 0.0, 0, 0, null, null,
                        null, 0.0, null, null, "haproxy"));
            }
            tick(s);
        }
        assertEquals(List.of(), decisions);
        balancer(20, 0, 1);
        tick(23);
        assertEquals(List.of(), decisions, "a count older than 2 s wakes nothing");
        balancer(24, 0, 1);
        tick(24);
        assertEquals(1, decisions.size());
    }

    @Test
    void whileTheFirstNodeStartsNoMoreAreAskedForAndManyWaitingAskForMoreUpToMax() {
        balancer(0, 25, 25);
        tick(0);
        assertEquals(List.of("0: from zero: 25 request(s) waiting with no node (wants 3, held to MAX 2): 0 → 2 nodes"),
                decisions);
        balancer(1, 25, 25);
        tick(1);
        assertEquals(1, decisions.size(), "nodes are starting: the normal path waits for them");
    }

    @Test
    void theWaitingRequestsAskForNodesAtTheTargetLatencyForOne() {
        ScalingPolicy rps = ScalingPolicy.target(0, 5, 10);
        assertEquals(0, Strategies.fromZero(Metric.RPS, 0, rps).nodes());
        assertEquals(1, Strategies.fromZero(Metric.RPS, 1, rps).nodes());
        assertEquals(3, Strategies.fromZero(Metric.RPS, 21, rps).nodes());
        assertEquals(1, Strategies.fromZero(Metric.LATENCY, 21, ScalingPolicy.target(0, 5, 200)).nodes());
    }
}
