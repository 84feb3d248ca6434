package cms.elasticity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.ScalingDecision;
import cms.elasticity.policy.Decision;
import cms.elasticity.policy.Metric;
import cms.elasticity.policy.Recommendation;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.policy.Stabilizer;
import cms.elasticity.policy.Strategies;
import cms.core.topic.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScalingMetersTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScalingMeters meters = new ScalingMeters(registry);

    @Test
    void decisionsAreCountedByDirectionAndPathNeverByTheirSentence() {
        decide("cpu", 2, 3, "cpu 0.91 over the upper threshold 0.8 for 30 s: 2 → 3 nodes");
        decide("cpu", 3, 4, "cpu 0.93 over the upper threshold 0.8 for 31 s: 3 → 4 nodes");
        decide("rps", 4, 7, "fast path: rps 310 per node, 2× the target in 2 samples over 1.5 s: 4 → 7 nodes");
        decide("cpu", 0, 1, "0 nodes is outside [1, 3]: 0 → 1 nodes");
        decide("cpu", 3, 2, "cpu 0.1 under the lower threshold 0.2 for the last 300 s: 3 → 2 nodes");
        assertEquals(2.0, count("up", "normal"));
        assertEquals(1.0, count("up", "fast"));
        assertEquals(1.0, count("up", "bounds"));
        assertEquals(1.0, count("down", "normal"));
        assertEquals(4, registry.find("cms.scaling.decisions").counters().size());
        assertEquals(1.0, registry.get("cms.scaling.decisions").tags("metric", "rps").counter().count());
    }

    @Test
    void aDecisionThatHoldsIsNotCountedAndAnUnknownMetricIsOther() {
        decide("cpu", 2, 2, "cpu 0.5 between the thresholds");
        assertTrue(registry.find("cms.scaling.decisions").counters().isEmpty());
        decide("weird-" + "x".repeat(50), 1, 2, "whatever");
        assertEquals(1.0, registry.get("cms.scaling.decisions").tags("metric", "other").counter().count());
    }

    /** The categories read the real stabilizer's sentences: a rewording there fails here, not silently in Grafana. */
    @Test
    void thePathsAreReadFromTheStabilizersOwnSentences() {
        ScalingPolicy policy = ScalingPolicy.threshold(1, 10, 0.2, 0.8);
        Stabilizer stabilizer = new Stabilizer();
        stabilizer.decide(Strategies.recommend(Metric.CPU, 0.7, 2, 2, policy),
                Strategies.surge(Metric.CPU, 1.0, 2, 2, policy), 2, policy, T0);
        Decision fast = stabilizer.decide(Strategies.recommend(Metric.CPU, 0.7, 2, 2, policy),
                Strategies.surge(Metric.CPU, 1.0, 2, 2, policy), 2, policy, T0.plusSeconds(1));
        assertTrue(fast.fast() && fast.changes(), fast.toString());
        assertEquals("fast", ScalingMeters.path(fast.reason()), fast.reason());
        Decision bounds = new Stabilizer().decide(new Recommendation(0, "no cpu samples yet"), 0, policy, T0);
        assertTrue(bounds.changes(), bounds.toString());
        assertEquals("bounds", ScalingMeters.path(bounds.reason()), bounds.reason());
        Stabilizer normal = new Stabilizer();
        normal.decide(Strategies.recommend(Metric.CPU, 0.95, 2, 2, policy), 2, policy, T0);
        Decision out = normal.decide(Strategies.recommend(Metric.CPU, 0.95, 2, 2, policy), 2, policy,
                T0.plus(policy.scaleOutWindow()));
        assertTrue(out.changes() && !out.fast(), out.toString());
        assertEquals("normal", ScalingMeters.path(out.reason()), out.reason());
        ScalingPolicy zeroPolicy = ScalingPolicy.target(0, 3, 20);
        Decision woken = new Stabilizer().wake(Strategies.fromZero(Metric.RPS, 3, zeroPolicy), zeroPolicy, T0);
        assertTrue(woken.changes(), woken.toString());
        assertEquals("zero", ScalingMeters.path(woken.reason()), woken.reason());
    }

    @Test
    void demandAndWakingDecisionsKeepTheirMetric() {
        decide("demand", 2, 4, "40.0 req/s, 20.0 req/s per node at 0.70 for 2 s: 2 → 4 nodes");
        decide("waiting", 0, 1, "from zero: 1 request(s) waiting with no node: 0 → 1 nodes");
        assertEquals(1.0, registry.get("cms.scaling.decisions").tags("metric", "demand").counter().count());
        assertEquals(1.0, registry.get("cms.scaling.decisions").tags("metric", "waiting", "reason", "zero").counter()
                .count());
    }

    private void decide(String metric, int from, int to, String reason) {
        meters.published(Topics.SCALING, new ScalingDecision("d", 1, T0, "light", metric, 0.9, from, to, reason));
    }

    private double count(String direction, String path) {
        return registry.get("cms.scaling.decisions").tags("pod", "light", "direction", direction, "reason", path)
                .counter().count();
    }
}
