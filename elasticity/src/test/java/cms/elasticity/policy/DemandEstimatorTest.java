package cms.elasticity.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Sizing from demand on a fake clock: the learned capacity, reading past a saturated CPU, and the trend. */
class DemandEstimatorTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static void observe(DemandEstimator d, int second, double rate, double cpu, int ready) {
        d.observe(T0.plusSeconds(second), OptionalDouble.of(rate), OptionalDouble.of(cpu), ready);
    }

    @Test
    void nothingIsRecommendedUntilACapacityIsLearned() {
        DemandEstimator d = new DemandEstimator();
        assertEquals(Optional.empty(), d.recommend(0.7, 0, Duration.ofSeconds(2), 0, 1, 20));
        observe(d, 0, 50, 1.0, 2);
        observe(d, 1, 1, 0.02, 2);
        assertEquals(OptionalDouble.empty(), d.capacity(), "a saturated or an idle reading teaches nothing");
        assertEquals(Optional.empty(), d.recommend(0.7, 0, Duration.ofSeconds(2), 0, 1, 20));
        d.observe(T0.plusSeconds(2), OptionalDouble.empty(), OptionalDouble.of(0.5), 2);
        assertEquals(OptionalDouble.empty(), d.capacity(), "no rate, nothing learned");
    }

    @Test
    void theCapacityIsAWeightedMeanOfRateOverCpuPerNode() {
        DemandEstimator d = new DemandEstimator();
        observe(d, 0, 30, 0.5, 3); // 20 req/s per node at full CPU
        assertEquals(20, d.capacity().getAsDouble(), 1e-9);
        observe(d, 1, 30, 0.25, 4); // 30 per node: the mean moves a fifth of the way
        assertEquals(22, d.capacity().getAsDouble(), 1e-9);
    }

    @Test
    void aReadingJustAfterThePodShrankTeachesNothingOneAfterItGrewDoes() {
        DemandEstimator d = new DemandEstimator();
        observe(d, 0, 30, 0.5, 3); // 20 req/s per node at full CPU
        // 3 → 2 nodes: the CPU of the smoothing window is partly from 3 nodes sharing the rate (it would read 30)
        observe(d, 1, 30, 0.5, 2);
        observe(d, 4, 30, 0.6, 2);
        assertEquals(20, d.capacity().getAsDouble(), 1e-9, "within 4 s of the shrink: nothing learned");
        observe(d, 5, 30, 0.75, 2);
        assertEquals(20, d.capacity().getAsDouble(), 1e-9, "the settled reading: 30 / (0.75 × 2) = 20");
        observe(d, 6, 30, 0.5, 4); // 2 → 4 nodes: reads low (15), towards more nodes: taken
        assertEquals(19, d.capacity().getAsDouble(), 1e-9);
    }

    @Test
    void whatIsLearnedDependsOnTheTimeReadNotOnHowOftenItIsRead() {
        DemandEstimator often = new DemandEstimator();
        DemandEstimator once = new DemandEstimator();
        often.observe(T0, OptionalDouble.of(30), OptionalDouble.of(0.5), 3);
        once.observe(T0, OptionalDouble.of(30), OptionalDouble.of(0.5), 3); // 20 req/s per node at full CPU
        for (int ms = 100; ms <= 1000; ms += 100) { // the service evaluates at each sample: ten a second here
            often.observe(T0.plusMillis(ms), OptionalDouble.of(30), OptionalDouble.of(0.25), 4); // 30 per node
        }
        observe(once, 1, 30, 0.25, 4);
        assertEquals(22, once.capacity().getAsDouble(), 1e-9, "a second moves the mean a fifth of the way");
        assertEquals(22, often.capacity().getAsDouble(), 1e-9, "ten readings in that second: the same");
    }

    @Test
    void aSaturatedCpuDoesNotHideTheDemandTheRequestRateShows() {
        DemandEstimator d = new DemandEstimator();
        observe(d, 0, 30, 0.5, 3);
        observe(d, 1, 120, 1.0, 3); // the CPU says "at least 3 nodes' worth"; the rate says 6
        Recommendation r = d.recommend(0.7, 0, Duration.ZERO, 0, 1, 20).orElseThrow();
        assertEquals(9, r.nodes(), "⌈120 / 20 / 0.7⌉ = ⌈8.57⌉");
        assertTrue(r.reason().contains("120.0 req/s") && r.reason().contains("20.0 req/s per node at 0.70"), r.reason());
        assertEquals(4, d.recommend(0.7, 0, Duration.ZERO, 0, 1, 4).orElseThrow().nodes(), "MAX holds");
        observe(d, 2, 0, 0, 3);
        assertEquals(2, d.recommend(0.7, 0, Duration.ZERO, 0, 2, 4).orElseThrow().nodes(), "MIN holds");
        assertEquals(0, d.recommend(0.7, 0, Duration.ZERO, 0, 0, 4).orElseThrow().nodes(), "no load, no node at MIN 0");
    }

    @Test
    void theSizeStaysWhileTheCurrentNodesCarryTheRateWithinTheTolerance() {
        DemandEstimator d = new DemandEstimator();
        observe(d, 0, 40, 0.5, 4); // 20 req/s per node at full CPU: 4 nodes at 0.5 serve 56 req/s at set-point 0.7
        observe(d, 1, 60, 0.75, 4); // 60 / 56 = 1.07: ⌈4.29⌉ = 5 wanted, but 4 carry it within 10 %
        Recommendation held = d.recommend(0.7, 0.1, Duration.ZERO, 4, 1, 20).orElseThrow();
        assertEquals(4, held.nodes());
        assertTrue(held.reason().endsWith("4 node(s) carry it within 10% of the set-point"), held.reason());
        assertEquals(5, d.recommend(0.7, 0, Duration.ZERO, 4, 1, 20).orElseThrow().nodes(), "no band, no hold");
        observe(d, 2, 64, 0.8, 4); // 64 / 56 = 1.14: beyond the band
        assertEquals(5, d.recommend(0.7, 0.1, Duration.ZERO, 4, 1, 20).orElseThrow().nodes());
        observe(d, 3, 40, 0.5, 4);
        assertEquals(3, d.recommend(0.7, 0.1, Duration.ZERO, 4, 1, 20).orElseThrow().nodes(),
                "40 / 56 = 0.71: three nodes are enough (⌈2.86⌉)");
        assertEquals(4, d.recommend(0.7, 0.1, Duration.ZERO, 4, 4, 20).orElseThrow().nodes(), "MIN holds first");
        assertEquals(2, d.recommend(0.7, 0.1, Duration.ZERO, 1, 1, 2).orElseThrow().nodes(),
                "the band does not hold a size against MAX");
    }

    @Test
    void aRisingRateIsMetOneStartUpAheadAndAFallingOneIsNotForeseen() {
        DemandEstimator rising = new DemandEstimator();
        DemandEstimator falling = new DemandEstimator();
        for (int s = 0; s <= 20; s++) {
            observe(rising, s, 20 + s, 0.5, 2); // +1 req/s each second
            observe(falling, s, 40 - s, 0.5, 2);
        }
        assertEquals(40 + 30, rising.foreseen(Duration.ofSeconds(30)).getAsDouble(), 1e-6);
        assertEquals(20, falling.foreseen(Duration.ofSeconds(30)).getAsDouble(), 1e-9, "upward only");
        Recommendation r = rising.recommend(0.5, 0, Duration.ofSeconds(30), 0, 1, 100).orElseThrow();
        double capacity = rising.capacity().getAsDouble();
        double room = 40 * DemandEstimator.UNFORESEEN_RISE * 30; // 24 req/s: a step of 60 % of the rate
        assertEquals((int) Math.ceil((70 + room) / capacity / 0.5), r.nodes());
        assertTrue(r.reason().contains("rising to 70.0 in 30 s (+24.0 room for a step)"), r.reason());
    }

    @Test
    void theRoomForAStepGrowsWithTheStartUp() {
        DemandEstimator d = new DemandEstimator();
        for (int s = 0; s <= 20; s++) {
            observe(d, s, 40, 0.5, 2); // 40 req/s a node at full CPU, flat
        }
        assertEquals(2, d.recommend(0.5, 0, Duration.ZERO, 2, 1, 20).orElseThrow().nodes(), "⌈40 / 40 / 0.5⌉");
        assertEquals(3, d.recommend(0.5, 0, Duration.ofSeconds(2), 2, 1, 20).orElseThrow().nodes(),
                "⌈40 × 1.04 / 20⌉: a 4 % step must already be covered when a node takes 2 s");
        Recommendation slow = d.recommend(0.7, 0, Duration.ofSeconds(30), 2, 1, 20).orElseThrow();
        assertEquals(3, slow.nodes(), "⌈40 × 1.6 / 28⌉ = ⌈2.29⌉: a 60 % step covered when a node takes 30 s");
        assertEquals("40.0 req/s (+24.0 room for a step), 40.0 req/s per node at 0.70", slow.reason());
        assertEquals(2, d.recommend(0.7, 0, Duration.ofSeconds(10), 2, 1, 20).orElseThrow().nodes(),
                "⌈40 × 1.2 / 28⌉ = ⌈1.71⌉ with 10 s");
        assertEquals("40.0 req/s, 40.0 req/s per node at 0.70",
                d.recommend(0.7, 0, Duration.ZERO, 2, 1, 20).orElseThrow().reason());
    }

    @Test
    void theTrendForgetsReadingsOlderThanItsWindow() {
        DemandEstimator d = new DemandEstimator();
        for (int s = 0; s <= 30; s++) {
            observe(d, s, 10 + 2 * s, 0.5, 2); // a steep rise …
        }
        for (int s = 31; s <= 70; s++) {
            observe(d, s, 70, 0.5, 2); // … then flat for longer than the window
        }
        assertEquals(70, d.foreseen(Duration.ofSeconds(30)).getAsDouble(), 1e-9);
    }

    @Test
    void theFastPathsJumpIsSizedFromTheLastSecondsRateWhenThatAsksForMore() {
        DemandEstimator d = new DemandEstimator();
        Optional<Recommendation> surge = Optional.of(new Recommendation(4, "cpu 1.00 saturated"));
        assertEquals(surge, d.jump(surge, OptionalDouble.of(200), 0.7, 20), "no capacity learned: the surge as it is");
        observe(d, 0, 30, 0.5, 3); // 20 req/s per node at full CPU
        Recommendation r = d.jump(surge, OptionalDouble.of(200), 0.7, 20).orElseThrow();
        assertEquals(15, r.nodes(), "⌈200 / 20 / 0.7⌉ = ⌈14.3⌉");
        assertEquals("cpu 1.00 saturated (200.0 req/s: 15 nodes at 0.70)", r.reason());
        assertEquals(10, d.jump(surge, OptionalDouble.of(200), 0.7, 10).orElseThrow().nodes(), "MAX holds");
        assertEquals(surge, d.jump(surge, OptionalDouble.of(40), 0.7, 20), "3 nodes for 40 req/s: the surge's 4 stay");
        assertEquals(surge, d.jump(surge, OptionalDouble.empty(), 0.7, 20), "no rate: the surge as it is");
        assertEquals(Optional.empty(), d.jump(Optional.empty(), OptionalDouble.of(200), 0.7, 20), "no surge, no jump");
    }

    @Test
    void aClearFallShortensTheScaleInRulesOnceItLastedAThirdOfAStartUp() {
        ScalingPolicy p = ScalingPolicy.target(1, 20, 0.7);
        Duration quick = Duration.ofSeconds(2);
        DemandEstimator d = new DemandEstimator();
        for (int s = 0; s < 20; s++) {
            observe(d, s, 60, 0.5, 20);
        }
        for (int s = 20; s < 25; s++) {
            observe(d, s, 29, 0.5, 20);
        }
        assertEquals(false, d.falling(quick), "below half of the mean since 4 s: not yet");
        assertEquals(p, d.rules(p, quick));
        observe(d, 25, 29, 0.5, 20);
        assertTrue(d.falling(quick), "below half of 60 since 5 s");
        ScalingPolicy followed = d.rules(p, quick);
        assertEquals(RateFall.HOLD, followed.scaleInWindow());
        assertEquals(RateFall.HOLD, followed.scaleInCooldown());
        assertEquals(p.scaleOutWindow(), followed.scaleOutWindow(), "growing is not touched");
        assertEquals(false, d.falling(Duration.ofSeconds(30)), "nodes that take 30 s: the fall must last a third of that");
        assertEquals(p, d.rules(p, Duration.ofSeconds(30)));
        for (int s = 26; s <= 30; s++) {
            observe(d, s, 29, 0.5, 20);
        }
        assertEquals(p, d.rules(p, Duration.ofSeconds(31)), "below half the mean for 10 s: not yet a third of 31 s");
        assertEquals(RateFall.HOLD, d.rules(p, Duration.ofSeconds(30)).scaleInWindow(), "… a third of 30 s");
        observe(d, 31, 31, 0.5, 20);
        assertEquals(false, d.falling(quick), "a reading at half the mean or more: not a clear fall");
    }

    @Test
    void aFallIsMeasuredFromTheWindowsMeanNotFromAPeakOfItsNoise() {
        Duration quick = Duration.ofSeconds(2);
        DemandEstimator d = new DemandEstimator();
        for (int s = 0; s < 20; s++) {
            observe(d, s, s == 15 ? 100 : 40, 0.5, 10); // a plateau at 40 with one peak of the noise at 100
        }
        for (int s = 20; s <= 26; s++) {
            observe(d, s, 35, 0.5, 10);
        }
        assertEquals(false, d.falling(quick), "35 for 7 s is below half the peak (50), not below half the mean (~21)");
        for (int s = 27; s < 32; s++) {
            observe(d, s, 15, 0.5, 10);
        }
        assertEquals(false, d.falling(quick), "below half the mean since 4 s: not yet");
        observe(d, 32, 15, 0.5, 10);
        assertTrue(d.falling(quick), "below half the window's mean since 5 s");
    }

    @Test
    void aNoisyRateThatDipsBelowHalfOnlyForAMomentIsNoFall() {
        DemandEstimator d = new DemandEstimator();
        double[] noisy = {50, 20, 55, 40, 24, 60, 45, 30, 52, 22};
        for (int s = 0; s < 30; s++) {
            observe(d, s, noisy[s % noisy.length], 0.5, 10);
            assertEquals(false, d.falling(Duration.ofSeconds(2)), "second " + s);
        }
    }
}
