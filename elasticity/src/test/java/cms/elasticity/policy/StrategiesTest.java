package cms.elasticity.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The strategies alone: sizes and reasons for given metric values. */
class StrategiesTest {

    private final ScalingPolicy threshold = ScalingPolicy.threshold(1, 10, 0.2, 0.8);

    @Test
    void thresholdGrowsAboveUpperAndShrinksBelowLowerOneNodeAtATime() {
        assertEquals(new Recommendation(4, "cpu 0.91 > upper 0.80"), Strategies.recommend("cpu", 0.91, 3, threshold));
        assertEquals(new Recommendation(2, "cpu 0.10 < lower 0.20"), Strategies.recommend("cpu", 0.10, 3, threshold));
        assertEquals(new Recommendation(3, "cpu 0.50 within [0.20, 0.80]"),
                Strategies.recommend("cpu", 0.50, 3, threshold));
        assertEquals(3, Strategies.recommend("cpu", 0.80, 3, threshold).nodes(), "at the threshold: no change");
        assertEquals(3, Strategies.recommend("cpu", 0.20, 3, threshold).nodes());
    }

    @Test
    void proportionalStepBringsTheMetricBackInsideTheBand() {
        ScalingPolicy p = threshold.withStep(ScalingPolicy.Step.PROPORTIONAL);
        // 3 nodes at 1.0 = 3.0 node-loads; at most 0.8 each needs 4 nodes (0.75)
        assertEquals(4, Strategies.recommend("cpu", 1.0, 3, p).nodes());
        // 2 nodes at 2.4 (a queue-like metric) = 4.8 → 6 nodes
        assertEquals(6, Strategies.recommend("cpu", 2.4, 2, p).nodes());
        // 5 nodes at 0.05 = 0.25 → 1 node (0.25 ≥ lower)
        assertEquals(1, Strategies.recommend("cpu", 0.05, 5, p).nodes());
        // 5 nodes at 0.15 = 0.75 → 3 nodes would be 0.25 ≥ 0.2; 4 nodes 0.19 < 0.2 → 3
        assertEquals(3, Strategies.recommend("cpu", 0.15, 5, p).nodes());
        // just above upper still grows by at least one
        assertEquals(4, Strategies.recommend("cpu", 0.81, 3, p).nodes());
    }

    @Test
    void targetFollowsTheFormulaOutsideTheTolerance() {
        ScalingPolicy p = ScalingPolicy.target(1, 10, 0.5);
        assertEquals(new Recommendation(6, "cpu 0.90 vs target 0.50"), Strategies.recommend("cpu", 0.9, 3, p));
        assertEquals(2, Strategies.recommend("cpu", 0.3, 3, p).nodes());
        assertEquals(new Recommendation(3, "cpu 0.54 within 10% of target 0.50"),
                Strategies.recommend("cpu", 0.54, 3, p));
        assertEquals(3, Strategies.recommend("cpu", 0.46, 3, p).nodes());
        assertEquals(4, Strategies.recommend("cpu", 0.56, 3, p).nodes(), "0.56/0.5 = 1.12 is past 10%");
    }

    @Test
    void aPodWithoutNodesGetsOneWhenThereIsDemand() {
        assertEquals(1, Strategies.recommend("queue", 3, 0, ScalingPolicy.target(0, 5, 2)).nodes());
        assertEquals(0, Strategies.recommend("queue", 0, 0, ScalingPolicy.target(0, 5, 2)).nodes());
        assertEquals(1, Strategies.recommend("queue", 3, 0, threshold).nodes());
    }
}
