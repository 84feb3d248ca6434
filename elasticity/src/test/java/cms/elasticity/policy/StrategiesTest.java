package cms.elasticity.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The strategies alone: sizes and reasons for given metric values and node counts. */
class StrategiesTest {

    private final ScalingPolicy threshold = ScalingPolicy.threshold(1, 10, 0.2, 0.8);

    private static Recommendation cpu(double value, int nodes, ScalingPolicy p) {
        return Strategies.recommend(Metric.CPU, value, nodes, nodes, p);
    }

    @Test
    void thresholdReasonsAreTheOriginalRulesAndTheSizePutsTheMetricInTheMiddleOfTheBand() {
        // 3 nodes at 0.91 carry 2.73 node-loads: 0.5 each (the middle of 0.2-0.8) needs 6 nodes
        assertEquals(new Recommendation(6, "cpu 0.91 > upper 0.80"), cpu(0.91, 3, threshold));
        // 6 nodes at 0.10 carry 0.6: 2 nodes at 0.3 (1 would be 0.6, above the middle)
        assertEquals(new Recommendation(2, "cpu 0.10 < lower 0.20"), cpu(0.10, 6, threshold));
        assertEquals(new Recommendation(3, "cpu 0.50 within [0.20, 0.80]"), cpu(0.50, 3, threshold));
        assertEquals(3, cpu(0.80, 3, threshold).nodes(), "at the threshold: no change");
        assertEquals(3, cpu(0.20, 3, threshold).nodes());
        assertEquals(5, cpu(0.81, 3, threshold).nodes(), "just above upper: 2.43 / 0.5 = 4.86 → 5");
    }

    @Test
    void aNarrowBandGrowsByAtLeastOneAndNeverShrinksPastUpper() {
        ScalingPolicy narrow = ScalingPolicy.threshold(1, 10, 0.7, 0.8);
        assertEquals(4, cpu(0.801, 3, narrow).nodes(), "2.403 / 0.75 = 3.2 → 4");
        Recommendation r = cpu(0.69, 3, narrow);
        assertEquals(3, r.nodes(), "2 nodes would run at 1.04, past upper: the pod would flap");
        assertEquals("cpu 0.69 < lower 0.70, but fewer than 3 node(s) would not carry it", r.reason());
    }

    @Test
    void startingNodesCountAsCapacityComing() {
        // 3 ready at 0.9 carry 2.7 → 6 wanted; 3 more are starting: nothing more to ask for
        Recommendation r = Strategies.recommend(Metric.CPU, 0.9, 3, 6, threshold);
        assertEquals(6, r.nodes());
        assertEquals("cpu 0.90 > upper 0.80, but 6 node(s) with those starting carry it", r.reason());
        assertEquals(8, Strategies.recommend(Metric.CPU, 0.9, 4, 6, threshold).nodes(), "3.6 / 0.5 = 7.2 → 8");
    }

    @Test
    void aSaturatedCpuCountsTheStartingNodesAsBusyToo() {
        // at its CPU limit the load may be anything above 2 nodes: the 2 starting are no proof of enough
        assertEquals(8, Strategies.recommend(Metric.CPU, 1.0, 2, 4, threshold).nodes());
        // the same numbers on a metric without a cap: 2 × 1.0 / 0.5 = 4, which the starting nodes carry
        assertEquals(4, Strategies.recommend(Metric.RPS, 1.0, 2, 4, threshold).nodes());
    }

    @Test
    void targetFollowsTheFormulaOutsideTheTolerance() {
        ScalingPolicy p = ScalingPolicy.target(1, 10, 0.5);
        assertEquals(new Recommendation(6, "cpu 0.90 vs target 0.50"), cpu(0.9, 3, p));
        assertEquals(2, cpu(0.3, 3, p).nodes());
        assertEquals(new Recommendation(3, "cpu 0.54 within 10% of target 0.50"), cpu(0.54, 3, p));
        assertEquals(3, cpu(0.46, 3, p).nodes());
        assertEquals(4, cpu(0.56, 3, p).nodes(), "0.56/0.5 = 1.12 is past 10%");
        Recommendation stays = cpu(0.42, 3, p);
        assertEquals(3, stays.nodes(), "1.26 / 0.5 = 2.52 → 3: no fewer nodes would carry it");
        assertEquals("cpu 0.42 vs target 0.50, but fewer than 3 node(s) would not carry it", stays.reason());
    }

    @Test
    void targetCountsStartingNodesAsCapacityComing() {
        ScalingPolicy p = ScalingPolicy.target(1, 10, 40);
        assertEquals(4, Strategies.recommend(Metric.RPS, 80, 2, 4, p).nodes(), "160 rps / 40 = 4: coming already");
        assertEquals(5, Strategies.recommend(Metric.RPS, 100, 2, 4, p).nodes(), "200 / 40 = 5");
    }

    @Test
    void aPodWithoutNodesGetsWhatOneNodesWorthOfMetricAsksFor() {
        ScalingPolicy p = ScalingPolicy.target(0, 5, 2);
        assertEquals(new Recommendation(2, "rps 3.00 with no node"), Strategies.recommend(Metric.RPS, 3, 0, 0, p));
        assertEquals(0, Strategies.recommend(Metric.RPS, 0, 0, 0, p).nodes());
        assertEquals(1, Strategies.recommend(Metric.RPS, 0.3, 0, 0, threshold).nodes(), "at least one");
        assertEquals(new Recommendation(2, "rps 3.00 with 2 node(s) starting"),
                Strategies.recommend(Metric.RPS, 3, 0, 2, p), "none ready yet: wait for those coming");
    }

    @Test
    void aSurgeIsTwiceTheUpperThresholdOrTheTargetOrASaturatedCpu() {
        ScalingPolicy rps = ScalingPolicy.threshold(1, 10, 20, 50);
        assertEquals(java.util.Optional.of(new Recommendation(6, "rps 100.00 ≥ 2 × upper 50.00")),
                Strategies.surge(Metric.RPS, 100, 2, 2, rps), "2 × 100 / 35 (the middle) = 5.7 → 6");
        assertTrue(Strategies.surge(Metric.RPS, 99.9, 2, 2, rps).isEmpty(), "just under twice upper");
        ScalingPolicy target = ScalingPolicy.target(1, 10, 200);
        assertEquals(4, Strategies.surge(Metric.LATENCY, 400, 2, 2, target).orElseThrow().nodes());
        assertTrue(Strategies.surge(Metric.LATENCY, 399, 2, 2, target).isEmpty());
        assertEquals("cpu 0.96 saturated", Strategies.surge(Metric.CPU, 0.96, 3, 3, threshold).orElseThrow().reason());
        assertTrue(Strategies.surge(Metric.CPU, 0.94, 3, 3, threshold).isEmpty(), "high, but neither saturated nor 1.6");
        assertTrue(Strategies.surge(Metric.QUEUE, 100, 0, 0, target).isEmpty(), "no ready node: nothing measured on");
    }
}
