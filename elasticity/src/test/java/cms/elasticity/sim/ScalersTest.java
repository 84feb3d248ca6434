package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.elasticity.policy.ScalingPolicy;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Each scaler's rule on inputs made by hand, second by second on the simulated clock. */
class ScalersTest {

    private static Observation at(int second, double cpu, int supplied, int starting) {
        return new Observation(Simulation.START.plusSeconds(second), OptionalDouble.of(cpu), supplied, starting);
    }

    private static Observation noMetric(int second, int supplied) {
        return new Observation(Instant.EPOCH.plusSeconds(second), OptionalDouble.empty(), supplied, 0);
    }

    @Test
    void originalRuleAddsOrRemovesOneNodeEveryTwoSecondsInsideTheBounds() {
        OriginalRuleScaler rule = new OriginalRuleScaler(1, 4, 0.2, 0.8);
        assertEquals(3, rule.decide(at(0, 0.9, 2, 0)), "above upper: +1");
        assertEquals(3, rule.decide(at(1, 0.9, 3, 0)), "one second later: not yet");
        assertEquals(4, rule.decide(at(2, 0.9, 3, 0)), "two seconds later: +1 again");
        assertEquals(4, rule.decide(at(4, 1.0, 4, 0)), "at MAX: nothing");
        assertEquals(3, rule.decide(at(6, 0.1, 4, 0)), "below lower: -1");
        assertEquals(3, rule.decide(at(8, 0.8, 3, 0)), "at upper exactly: nothing");
        assertEquals(3, rule.decide(at(10, 0.2, 3, 0)), "at lower exactly: nothing");
        assertEquals(1, rule.decide(at(12, 0.0, 1, 0)), "at MIN: nothing");
        assertEquals(2, rule.decide(noMetric(14, 2)), "no metric yet: nothing");
    }

    @Test
    void originalRuleKeepsAddingWhileItsNewNodesAreStillStarting() {
        OriginalRuleScaler rule = new OriginalRuleScaler(1, 10, 0.2, 0.8);
        assertEquals(3, rule.decide(at(0, 1.0, 2, 0)));
        assertEquals(4, rule.decide(at(2, 1.0, 2, 1)), "the starting node does not lower the metric it sees");
        assertEquals(5, rule.decide(at(4, 1.0, 2, 2)));
    }

    @Test
    void hpaLooksEvery15SecondsAndHoldsWithinTheTolerance() {
        HpaScaler hpa = new HpaScaler(1, 20, 0.5);
        assertEquals(4, hpa.decide(at(0, 0.54, 4, 0)), "54 % / 50 % = 1.08: within 0.1");
        assertEquals(4, hpa.decide(at(5, 1.0, 4, 0)), "not a sync second");
        assertEquals(5, hpa.decide(at(15, 0.56, 4, 0)), "1.12 × 4 = 4.48 → 5");
        assertEquals(5, hpa.decide(at(30, 0.549, 5, 0)), "54.9 % is 54 % as a whole percent: 1.08, hold");
    }

    @Test
    void hpaScaleUpIsLimitedToDoubleOrFourMorePerPeriod() {
        HpaScaler hpa = new HpaScaler(1, 50, 0.1);
        assertEquals(6, hpa.decide(at(0, 1.0, 2, 0)), "wants 20; max(2 × 2, 2 + 4) = 6");
        assertEquals(20, new HpaScaler(1, 50, 0.1).decide(at(0, 1.0, 10, 0)), "wants 100; max(20, 14) = 20");
        assertEquals(12, new HpaScaler(1, 12, 0.1).decide(at(0, 1.0, 10, 0)), "and never above MAX");
    }

    @Test
    void hpaCountsNotReadyPodsAsZeroWhenScalingUp() {
        HpaScaler hpa = new HpaScaler(1, 20, 0.5);
        // 2 ready at 100 %, 2 starting: (200 + 0) / 4 = 50 % → ratio 1.0 → hold at 4
        assertEquals(4, hpa.decide(at(0, 1.0, 2, 2)));
        // 3 ready at 100 %, 1 starting: 300 / 4 = 75 % → 1.5 × 4 = 6
        assertEquals(6, new HpaScaler(1, 20, 0.5).decide(at(0, 1.0, 3, 1)));
        // 2 ready at 60 %, 2 starting: 120 / 4 = 30 % → the direction flips to down: hold
        assertEquals(4, new HpaScaler(1, 20, 0.5).decide(at(0, 0.6, 2, 2)));
        // scaling down, not-ready pods are left out: 2 ready at 10 % → 0.2 × 2 → 1
        assertEquals(1, new HpaScaler(1, 20, 0.5).decide(at(0, 0.1, 2, 2)));
    }

    @Test
    void hpaScalesDownToTheHighestRecommendationOfTheLast300Seconds() {
        HpaScaler hpa = new HpaScaler(1, 20, 0.5);
        assertEquals(8, hpa.decide(at(0, 0.5, 8, 0)), "on target: recommends 8");
        assertEquals(8, hpa.decide(at(15, 0.1, 8, 0)), "recommends 2, but 8 was recommended 15 s ago");
        assertEquals(8, hpa.decide(at(285, 0.1, 8, 0)), "8 is still within the window (285 s ago)");
        assertEquals(2, hpa.decide(at(300, 0.1, 8, 0)), "300 s later the 8 has left the window: 0.2 × 8 → 2 at once");
        assertEquals(2, hpa.decide(noMetric(315, 2)), "no metric: keeps the size");
    }

    @Test
    void ourPolicyIsTheServicesDecisionCodeWithItsWindows() {
        PolicyScaler ours = new PolicyScaler(ScalingPolicy.threshold(1, 5, 0.2, 0.8));
        assertEquals("cms-threshold", ours.name());
        assertEquals(2, ours.decide(noMetric(0, 2)));
        assertEquals(2, ours.decide(at(1, 0.9, 2, 0)), "the reason must hold for the 2 s scale-out window");
        assertEquals(2, ours.decide(at(2, 0.9, 2, 0)));
        assertEquals(4, ours.decide(at(3, 0.9, 2, 0)), "2 × 0.9 / 0.5 (the middle of the band) = 3.6 → 4");
        assertEquals(4, ours.decide(at(4, 0.9, 2, 2)), "the metric is of the 2 supplied; the 2 STARTING carry it");
        PolicyScaler target = new PolicyScaler(ScalingPolicy.target(1, 10, 0.5));
        assertEquals("cms-target", target.name());
        target.decide(at(0, 0.9, 2, 0));
        assertEquals(4, target.decide(at(2, 0.9, 2, 0)), "⌈2 × 0.9 / 0.5⌉ after 2 s");
    }
}
