package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Each metric on short series worked out by hand. */
class ElasticityMetricsTest {

    private static final double EPS = 1e-9;

    private static int[] repeat(int value, int times) {
        int[] a = new int[times];
        Arrays.fill(a, value);
        return a;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static ElasticityMetrics of(int[] d, int[] s) {
        return ElasticityMetrics.of(d, s, new int[d.length], 0);
    }

    @Test
    void theWorkedExampleOfTheNotes() {
        // demand 2 → 4 at t = 5 s, supply 2 → 4 at t = 7 s, T = 10 s
        int[] d = concat(repeat(2, 5), repeat(4, 5));
        int[] s = concat(repeat(2, 7), repeat(4, 3));
        ElasticityMetrics m = of(d, s);
        assertEquals(20, m.underTimeshare(), EPS);
        assertEquals(10, m.underAccuracy(), EPS);
        assertEquals(0, m.overAccuracy(), EPS);
        assertEquals(0, m.overTimeshare(), EPS);
        assertEquals(2, m.sloViolationSeconds());
        assertEquals(26, m.nodeSeconds(), "7 × 2 + 3 × 4");
        // both move once: no jitter; they move at different steps (5 and 7): 2 of 9 steps
        assertEquals(0, m.jitterPerMinute(), EPS);
        assertEquals(100.0 * 2 / 9, m.instability(), EPS);
    }

    @Test
    void overProvisioningIsRelativeToDemandAndCanPass100() {
        // excess 2/1, 2/1, 1/2, 0 → 4.5 / 4 = 112.5 %; three of four seconds in excess
        ElasticityMetrics m = of(new int[]{1, 1, 2, 2}, new int[]{3, 3, 3, 2});
        assertEquals(112.5, m.overAccuracy(), EPS);
        assertEquals(75, m.overTimeshare(), EPS);
        assertEquals(0, m.underAccuracy(), EPS);
        assertEquals(0, m.sloViolationSeconds());
    }

    @Test
    void underProvisioningSumsTheMissingShareOfEachSecond() {
        // missing 3/4, 1/4, 0, 2/2 → 2.0 / 4 = 50 %; short three of four seconds
        ElasticityMetrics m = of(new int[]{4, 4, 1, 2}, new int[]{1, 3, 2, 0});
        assertEquals(50, m.underAccuracy(), EPS);
        assertEquals(75, m.underTimeshare(), EPS);
        assertEquals(3, m.sloViolationSeconds());
        assertEquals(25, m.overAccuracy(), EPS, "1 node over a demand of 1 for one of four seconds");
    }

    @Test
    void jitterCountsChangesPerMinuteAndUnitsBesideThem() {
        // two minutes; demand steps once (1 → 3); supply goes 1 → 4 → 2 → 3: three changes, 3 + 2 + 1 units
        int[] d = concat(repeat(1, 60), repeat(3, 60));
        int[] s = concat(concat(repeat(1, 61), repeat(4, 20)), concat(repeat(2, 20), repeat(3, 19)));
        ElasticityMetrics m = of(d, s);
        assertEquals(3, m.supplyAdaptations());
        assertEquals(1, m.demandAdaptations());
        assertEquals(6, m.supplyUnits());
        assertEquals(2, m.demandUnits());
        assertEquals((3 - 1) / 2.0, m.jitterPerMinute(), EPS);
        ElasticityMetrics missed = of(d, repeat(2, 120));
        assertEquals(-0.5, missed.jitterPerMinute(), EPS, "a supply that never moves misses the one change");
    }

    @Test
    void instabilityCountsStepsWhereSupplyAndDemandMoveDifferently() {
        // steps: d +, s + (same) | d 0, s - (differ) | d -, s + (opposite: counts once) | d 0, s 0 (same)
        ElasticityMetrics m = of(new int[]{1, 2, 2, 1, 1}, new int[]{1, 2, 1, 2, 2});
        assertEquals(50, m.instability(), EPS);
        assertEquals(0, of(new int[]{3}, new int[]{3}).instability(), EPS, "one sample: no steps");
    }

    @Test
    void nodeSecondsCountStartingNodesAndActionsPassThrough() {
        ElasticityMetrics m = ElasticityMetrics.of(new int[]{2, 2, 2}, new int[]{1, 1, 2}, new int[]{1, 1, 0}, 1);
        assertEquals(6, m.nodeSeconds(), "(1 + 1) + (1 + 1) + 2");
        assertEquals(1, m.actions());
        assertEquals(2, m.sloViolationSeconds());
    }

    @Test
    void seriesOfDifferentLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> of(new int[]{1, 2}, new int[]{1}));
        assertThrows(IllegalArgumentException.class, () -> of(new int[0], new int[0]));
    }
}
