package cms.elasticity.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The time rules on a fake clock: windows, cool-downs, the step, bounds, and no flapping. */
class StabilizerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The defaults: proportional step, out after 2 s, in over 30 s, cool-downs 5 s and 15 s. */
    private final ScalingPolicy policy = ScalingPolicy.threshold(1, 10, 0.2, 0.8);
    private final ScalingPolicy one = policy.withStep(ScalingPolicy.Step.ONE);
    private final Stabilizer stabilizer = new Stabilizer();

    private Decision at(int second, double cpu, int current) {
        return at(second, cpu, current, policy);
    }

    private Decision at(int second, double cpu, int current, ScalingPolicy p) {
        return stabilizer.decide(Strategies.recommend(Metric.CPU, cpu, current, current, p), current, p,
                T0.plusSeconds(second));
    }

    @Test
    void scaleOutWaitsUntilItsReasonHeldForTheWindowAndSaysSo() {
        assertEquals("cpu 0.91 > upper 0.80: waiting for it to hold 2 s", at(0, 0.91, 3).reason());
        assertEquals(3, at(1, 0.91, 3).to());
        Decision d = at(2, 0.91, 3);
        assertEquals(6, d.to());
        assertEquals("cpu 0.91 > upper 0.80 for 2 s: 3 → 6 nodes", d.reason());
    }

    @Test
    void aBriefSpikeDoesNotScaleOut() {
        at(0, 0.95, 2);
        at(1, 0.95, 2);
        at(2, 0.5, 2);
        assertEquals(2, at(3, 0.95, 2).to(), "the spike was interrupted: the window starts again");
        assertEquals(2, at(4, 0.95, 2).to());
        assertEquals(4, at(5, 0.95, 2).to(), "2 × 0.95 / 0.5 = 3.8 → 4");
    }

    @Test
    void stepOneIsTheOriginalRuleSpacedByTheScaleOutCoolDown() {
        at(0, 0.95, 2, one);
        Decision first = at(2, 0.95, 2, one);
        assertEquals(3, first.to());
        assertEquals("cpu 0.95 > upper 0.80 for 2 s (one node at a time towards 4): 2 → 3 nodes", first.reason());
        at(3, 0.95, 3, one);
        Decision early = at(5, 0.95, 3, one);
        assertEquals(3, early.to(), "held 2 s, but within the 5 s cool-down");
        assertTrue(early.reason().contains("scale-out cool-down"), early.reason());
        assertEquals(4, at(7, 0.95, 3, one).to());
    }

    @Test
    void scaleInNeedsAQuietWindowAndTakesTheLargestSizeWanted() {
        for (int s = 0; s < 30; s++) {
            double cpu = s == 20 ? 0.19 : 0.15; // 6 × 0.15 / 0.5 → 2 nodes; 6 × 0.19 / 0.5 → 3
            Decision d = at(s, cpu, 6);
            assertEquals(6, d.to(), "second " + s);
            assertTrue(d.reason().endsWith("watching for 30 s before shrinking"), d.reason());
        }
        Decision d = at(30, 0.15, 6);
        assertEquals(3, d.to(), "the largest size wanted during the window");
        assertEquals("cpu 0.15 < lower 0.20 for the last 30 s: 6 → 3 nodes", d.reason());
    }

    @Test
    void oneBusySecondInTheWindowHoldsTheSize() {
        for (int s = 0; s <= 55; s++) {
            double cpu = s == 25 ? 0.5 : 0.1;
            assertEquals(4, at(s, cpu, 4).to(), "second " + s);
        }
        assertEquals(1, at(56, 0.1, 4).to(), "30 s after the busy second it shrinks");
    }

    @Test
    void theScaleInWindowSlidesOnAfterAChangeSoStepOneShrinksOneNodePerCoolDown() {
        for (int s = 0; s < 30; s++) {
            at(s, 0.1, 6, one);
        }
        Decision d = at(30, 0.1, 6, one);
        assertEquals(5, d.to());
        assertEquals("cpu 0.10 < lower 0.20 for the last 30 s (one node at a time towards 2): 6 → 5 nodes",
                d.reason());
        int current = 5;
        List<Integer> shrankAt = new ArrayList<>();
        for (int s = 31; s <= 75; s++) {
            Decision next = at(s, 0.6 / current, current, one); // the same 0.6 node-loads on fewer nodes
            if (next.changes()) {
                shrankAt.add(s);
                current = next.to();
            } else {
                assertTrue(next.reason().contains("scale-in cool-down"), s + ": " + next.reason());
            }
        }
        assertEquals(List.of(45, 60, 75), shrankAt, "every 15 s, not every 30 s as when the window restarted");
        assertEquals(2, current);
    }

    @Test
    void aScaleInRightAfterAScaleOutWaitsForTheLargerSizeToLeaveTheWindow() {
        for (int s = 0; s < 30; s++) {
            at(s, 0.5, 3);
        }
        at(30, 0.95, 3);
        at(31, 0.95, 3);
        assertEquals(6, at(32, 0.95, 3).to());
        for (int s = 33; s <= 62; s++) {
            Decision d = at(s, 0.1, 6);
            assertEquals(6, d.to(), "second " + s);
        }
        assertTrue(at(62, 0.1, 6).reason().endsWith("6 nodes were still wanted within the last 30 s"));
        assertEquals(2, at(63, 0.1, 6).to(), "6 × 0.1 / 0.5 → 2 once the scale-out's 6 has left the window");
    }

    @Test
    void boundsAreEnforcedAndNamedInTheReason() {
        ScalingPolicy small = ScalingPolicy.threshold(1, 5, 0.2, 0.8);
        at(0, 1.0, 3, small);
        Decision d = at(2, 1.0, 3, small);
        assertEquals(5, d.to());
        assertEquals("cpu 1.00 > upper 0.80 for 2 s (wants 6, held to MAX 5): 3 → 5 nodes", d.reason());
        Decision below = new Stabilizer().decide(new Recommendation(0, "x"), 0, small, T0);
        assertEquals(1, below.to(), "under MIN goes up at once");
        Decision above = new Stabilizer().decide(new Recommendation(9, "x"), 7, small, T0);
        assertEquals(5, above.to(), "over MAX goes down at once");
    }

    @Test
    void decisionsStayWithinBoundsForAnyInput() {
        Random random = new Random(20261127);
        for (int run = 0; run < 300; run++) {
            int min = random.nextInt(4);
            int max = min + random.nextInt(6);
            ScalingPolicy p = random.nextBoolean()
                    ? ScalingPolicy.threshold(min, max, 0.2, 0.8).withStep(random.nextBoolean()
                            ? ScalingPolicy.Step.ONE : ScalingPolicy.Step.PROPORTIONAL)
                    : ScalingPolicy.target(min, max, 0.1 + random.nextDouble());
            p = p.withWindows(Duration.ofSeconds(random.nextInt(5)), Duration.ofSeconds(random.nextInt(20)),
                    Duration.ofSeconds(random.nextInt(5)), Duration.ofSeconds(random.nextInt(10)));
            Metric metric = Metric.values()[random.nextInt(Metric.values().length)];
            Stabilizer s = new Stabilizer();
            int current = random.nextInt(12);
            for (int second = 0; second < 300; second++) {
                int ready = random.nextInt(current + 1);
                double value = random.nextInt(10) == 0 ? 0 : random.nextDouble() * 3;
                Decision d = s.decide(Strategies.recommend(metric, value, ready, current, p), current, p,
                        T0.plusSeconds(second));
                assertTrue(d.to() >= min && d.to() <= max,
                        "run " + run + " second " + second + ": " + d + " outside [" + min + ", " + max + "]");
                assertEquals(current, d.from());
                current = d.to();
            }
        }
    }

    @Test
    void aNoisyMetricInsideTheBandDoesNotFlap() {
        Random random = new Random(7);
        int current = 3;
        int changes = 0;
        for (int second = 0; second < 600; second++) {
            double cpu = 0.5 + (random.nextDouble() - 0.5) * 0.6; // 0.2 .. 0.8, now and then at an edge
            Decision d = at(second, cpu, current);
            if (d.changes()) {
                changes++;
            }
            current = d.to();
        }
        assertEquals(0, changes, "noise inside the band must not change the size");
    }

    @Test
    void aNoisyLoadIsFollowedOnceAndThenLeftAlone() {
        // 2.4 node-loads ± 25 % every second, on 3 nodes: around upper, so the pod must grow; once the
        // metric is in the middle of the band, the same noise must not move it again, in either direction
        Random random = new Random(11);
        int current = 3;
        List<String> changes = new ArrayList<>();
        for (int second = 0; second < 900; second++) {
            double load = 2.4 * (1 + (random.nextDouble() - 0.5) * 0.5);
            Decision d = at(second, Math.min(1, load / current), current);
            if (d.changes()) {
                changes.add(second + ": " + d.reason());
            }
            current = d.to();
        }
        assertEquals(1, changes.size(), changes.toString());
        assertTrue(current >= 5 && current <= 6, "2.4 node-loads at about 0.5 each: " + current);
    }

    /** The fast path: the surge the last second shows (if any) beside the normal path's smoothed value. */
    private Decision fast(int second, double smoothed, double last, int ready, int current, ScalingPolicy p) {
        return stabilizer.decide(Strategies.recommend(Metric.CPU, smoothed, ready, current, p),
                Strategies.surge(Metric.CPU, last, ready, current, p), current, p, T0.plusSeconds(second));
    }

    @Test
    void aCpuSaturatedForTwoOneSecondSamplesScalesOutAtOnceWhereTheNormalPathWouldStillWait() {
        // the smoothed value (0.7) has not yet crossed upper; the last second is saturated twice in a row
        Decision first = fast(0, 0.7, 1.0, 2, 2, policy);
        assertEquals(2, first.to(), "one saturated second is not yet a jump");
        Decision d = fast(1, 0.7, 1.0, 2, 2, policy);
        assertEquals(4, d.to(), "2 nodes saturated carry at least 2 node-loads: 4 at the middle 0.5");
        assertEquals("fast path: cpu 1.00 saturated in 2 samples over 2 s: 2 → 4 nodes", d.reason());
        assertTrue(d.fast());
        assertFalse(first.fast());
    }

    @Test
    void aSingleSurgeSampleIsNotAJumpAndTheCountStartsAgain() {
        fast(0, 0.7, 1.0, 2, 2, policy);
        assertEquals(2, fast(1, 0.7, 0.6, 2, 2, policy).to(), "the second sample is calm");
        assertEquals(2, fast(2, 0.7, 1.0, 2, 2, policy).to(), "a new jump needs two samples again");
        assertEquals(4, fast(3, 0.7, 1.0, 2, 2, policy).to());
    }

    @Test
    void whileTheNodesAFastScaleOutAskedForStartTheSameReadingAsksForNoMore() {
        fast(0, 0.7, 1.0, 2, 2, policy);
        assertEquals(4, fast(1, 0.7, 1.0, 2, 2, policy).to());
        // 2 ready nodes still saturated, 2 STARTING: the fast path reads the load on the ready ones (2 node-loads at
        // least: 4 nodes, as many as there are); the normal path holds for its window and the scale-out cool-down
        for (int second = 2; second <= 5; second++) {
            Decision held = fast(second, 1.0, 1.0, 2, 4, policy);
            assertEquals(4, held.to(), "second " + second + ": " + held.reason());
        }
        // then the normal path, which counts STARTING nodes as busy while the CPU is saturated, grows on
        Decision next = fast(6, 1.0, 1.0, 2, 4, policy);
        assertEquals("cpu 1.00 > upper 0.80 for 4 s: 4 → 8 nodes", next.reason());
        assertFalse(next.fast());
    }

    @Test
    void theFastPathIsHeldToMaxAndSaysSo() {
        ScalingPolicy small = ScalingPolicy.threshold(1, 3, 0.2, 0.8);
        fast(0, 0.7, 1.0, 2, 2, small);
        Decision d = fast(1, 0.7, 1.0, 2, 2, small);
        assertEquals(3, d.to());
        assertEquals("fast path: cpu 1.00 saturated in 2 samples over 2 s (wants 4, held to MAX 3): 2 → 3 nodes",
                d.reason());
    }

    @Test
    void theOriginalOneNodeRuleHasNoFastPath() {
        for (int second = 0; second <= 1; second++) {
            assertEquals(2, fast(second, 0.7, 1.0, 2, 2, one).to());
        }
        assertTrue(Strategies.surge(Metric.CPU, 1.0, 2, 2, one).isEmpty());
    }

    /**
     * An evaluation {@code nowMs} after second 10 of a reading measured {@code readMs} after it, a saturated CPU on 2
     * nodes or not ({@code surging}), the smoothed value still calm.
     */
    private Decision reading(long nowMs, long readMs, boolean surging) {
        Instant read = T0.plusSeconds(10);
        return stabilizer.decide(Strategies.recommend(Metric.CPU, 0.7, 2, 2, policy),
                surging ? Strategies.surge(Metric.CPU, 1.0, 2, 2, policy) : Optional.empty(), 2, policy,
                read.plusMillis(nowMs), read.plusMillis(readMs));
    }

    @Test
    void theHoldCountsFromOneReadingToALaterOneNotFromEvaluationToEvaluation() {
        assertEquals(2, reading(20, 0, true).to());
        // evaluations that read the same samples again, however much later, are not a second reading
        assertEquals(2, reading(600, 0, true).to());
        assertEquals(2, reading(1500, 0, true).to());
        // the next one-second sample, measured a few milliseconds early, is the second reading
        Decision d = reading(1510, 995, true);
        assertEquals(4, d.to(), d.reason());
        assertTrue(d.fast());
    }

    @Test
    void aReadingLessThanHalfASecondLaterIsNotTheSecondOne() {
        reading(0, 0, true);
        assertEquals(2, reading(320, 300, true).to(),
                "300 ms after the first (a sample out of turn): its second and the first's overlap too much");
    }

    @Test
    void readingsHalfASecondApartEachOverTheSecondBeforeItHoldASurgeOverOneAndAHalfSeconds() {
        assertEquals(2, reading(20, 0, true).to());
        Decision d = reading(515, 495, true);
        assertEquals(4, d.to(), d.reason());
        assertTrue(d.fast());
        assertEquals("fast path: cpu 1.00 saturated in 2 samples over 1.5 s: 2 → 4 nodes", d.reason());
    }

    @Test
    void aCalmReadingBetweenEndsTheSurgeWhateverTheSamplePeriod() {
        reading(0, 0, true);
        reading(500, 500, false);
        assertEquals(2, reading(1000, 1000, true).to(), "a surge again, but the reading before was calm: a new count");
        assertEquals(4, reading(1500, 1500, true).to());
    }
}
