package cms.elasticity.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The time rules on a fake clock: windows, cool-downs, bounds, and no flapping. */
class StabilizerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final ScalingPolicy policy = ScalingPolicy.threshold(1, 5, 0.2, 0.8);
    private final Stabilizer stabilizer = new Stabilizer();

    private Decision at(int second, double cpu, int current) {
        return at(second, cpu, current, policy);
    }

    private Decision at(int second, double cpu, int current, ScalingPolicy p) {
        return stabilizer.decide(Strategies.recommend("cpu", cpu, current, p), current, p, T0.plusSeconds(second));
    }

    @Test
    void scaleOutWaitsUntilItsReasonHeldForTheWindowAndSaysSo() {
        assertEquals(3, at(0, 0.91, 3).to());
        assertEquals(3, at(1, 0.91, 3).to());
        Decision d = at(3, 0.91, 3);
        assertEquals(4, d.to());
        assertEquals("cpu 0.91 > upper 0.80 for 3 s: 3 → 4 nodes", d.reason());
    }

    @Test
    void aBriefSpikeDoesNotScaleOut() {
        at(0, 0.95, 2);
        at(1, 0.95, 2);
        at(2, 0.5, 2);
        assertEquals(2, at(3, 0.95, 2).to(), "the spike was interrupted: the window starts again");
        assertEquals(2, at(5, 0.95, 2).to());
        assertEquals(3, at(6, 0.95, 2).to());
    }

    @Test
    void scaleOutCoolDownSpacesOutGrowth() {
        at(0, 0.95, 2);
        assertEquals(3, at(3, 0.95, 2).to());
        at(4, 0.95, 3);
        assertEquals(3, at(7, 0.95, 3).to(), "held 3 s, but within the 5 s cool-down");
        assertTrue(at(7, 0.95, 3).reason().contains("cool-down"));
        assertEquals(4, at(8, 0.95, 3).to());
    }

    @Test
    void scaleInNeedsAQuietWindowAndTakesTheLargestSizeWanted() {
        for (int s = 0; s < 30; s++) {
            assertEquals(4, at(s, 0.1, 4).to(), "second " + s);
        }
        Decision d = at(30, 0.1, 4);
        assertEquals(3, d.to());
        assertEquals("cpu 0.10 < lower 0.20 for the last 30 s: 4 → 3 nodes", d.reason());
    }

    @Test
    void oneBusySecondInTheWindowHoldsTheSize() {
        for (int s = 0; s < 40; s++) {
            double cpu = s == 25 ? 0.5 : 0.1;
            assertEquals(4, at(s, cpu, 4).to(), "second " + s);
        }
        assertEquals(3, at(56, 0.1, 4).to(), "30 s after the busy second it shrinks");
    }

    @Test
    void boundsAreEnforcedAndNamedInTheReason() {
        ScalingPolicy wide = policy.withStep(ScalingPolicy.Step.PROPORTIONAL);
        at(0, 3.0, 3, wide);
        Decision d = at(3, 3.0, 3, wide);
        assertEquals(5, d.to());
        assertTrue(d.reason().contains("(wants 12, held to MAX 5)"), d.reason());
        Decision below = new Stabilizer().decide(new Recommendation(0, "x"), 0, policy, T0);
        assertEquals(1, below.to(), "under MIN goes up at once");
        Decision above = new Stabilizer().decide(new Recommendation(9, "x"), 7, policy, T0);
        assertEquals(5, above.to(), "over MAX goes down at once");
    }

    @Test
    void decisionsStayWithinBoundsForAnyInput() {
        Random random = new Random(20261127);
        for (int run = 0; run < 200; run++) {
            int min = random.nextInt(4);
            int max = min + random.nextInt(6);
            ScalingPolicy p = random.nextBoolean()
                    ? ScalingPolicy.threshold(min, max, 0.2, 0.8).withStep(random.nextBoolean()
                            ? ScalingPolicy.Step.ONE : ScalingPolicy.Step.PROPORTIONAL)
                    : ScalingPolicy.target(min, max, 0.1 + random.nextDouble());
            p = p.withWindows(Duration.ofSeconds(random.nextInt(5)), Duration.ofSeconds(random.nextInt(20)),
                    Duration.ofSeconds(random.nextInt(5)), Duration.ofSeconds(random.nextInt(10)));
            Stabilizer s = new Stabilizer();
            int current = random.nextInt(12);
            for (int second = 0; second < 300; second++) {
                double metric = random.nextDouble() * 3;
                Decision d = s.decide(Strategies.recommend("m", metric, current, p), current, p, T0.plusSeconds(second));
                assertTrue(d.to() >= min && d.to() <= max,
                        "run " + run + " second " + second + ": " + d + " outside [" + min + ", " + max + "]");
                current = d.to();
            }
        }
    }

    @Test
    void aNoisyMetricAroundTheBandDoesNotFlap() {
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
}
