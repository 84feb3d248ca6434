package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The reference scalers: hindsight supplies exactly the demand; the causal family reads only the past. */
class ReferenceScalersTest {

    private static Observation at(int second, int supplied) {
        return new Observation(Simulation.START.plusSeconds(second), OptionalDouble.empty(), supplied, 0);
    }

    private static double[] rates(double... perTenSeconds) {
        double[] rate = new double[perTenSeconds.length * 10];
        for (int i = 0; i < perTenSeconds.length; i++) {
            Arrays.fill(rate, i * 10, i * 10 + 10, perTenSeconds[i]);
        }
        return rate;
    }

    @Test
    void hindsightSuppliesExactlyTheDemandWhenItCanStartNodesInTime() {
        PodModel model = new PodModel(6, 5, 1);
        double[] rate = rates(6, 24, 12, 12, 30, 6); // 1, 4, 2, 2, 5, 1 nodes
        int[] demand = Arrays.stream(rate).mapToInt(model::demand).toArray();
        Simulation.Run run = Simulation.run(rate, model, 1, new HindsightScaler(demand, 5, 1, 20));
        assertArrayEquals(demand, run.supplied(), "never short, never more: each node launched one start-up ahead");
        ElasticityMetrics m = ElasticityMetrics.of(demand, run.supplied(), run.starting(), run.actions());
        assertEquals(0, m.underAccuracy());
        assertEquals(0, m.overAccuracy());
    }

    @Test
    void hindsightCoversEverySecondUntilANodeLaunchedNowWouldServe() {
        HindsightScaler s = new HindsightScaler(new int[] {1, 1, 3, 1, 2, 1, 1}, 3, 1, 10);
        assertEquals(3, s.decide(at(0, 1)), "seconds 1-3 need up to 3");
        assertEquals(3, s.decide(at(1, 1)), "seconds 2-4");
        assertEquals(2, s.decide(at(2, 3)), "seconds 3-5: the 3 are no longer needed after now");
        assertEquals(1, s.decide(at(4, 2)), "seconds 5-6 (the trace ends)");
        assertEquals(5, new HindsightScaler(new int[] {1, 30}, 0, 1, 5).decide(at(0, 1)), "held to MAX");
    }

    @Test
    void theFamilyKeepsHeadroomOverThePeakOfItsHoldWindow() {
        double[] rate = {12, 12, 30, 6, 6, 6, 6};
        HeadroomScaler none = new HeadroomScaler(rate, 6, 0.5, 0, 1, 20);
        assertEquals(3, none.decide(at(0, 2)), "⌈1.5 × 12 / 6⌉");
        HeadroomScaler held = new HeadroomScaler(rate, 6, 0, 2, 1, 20);
        assertEquals(5, held.decide(at(2, 2)));
        assertEquals(5, held.decide(at(4, 2)), "30 req/s was within the last 2 s");
        assertEquals(1, held.decide(at(5, 5)), "and then it is not");
        assertEquals(2, new HeadroomScaler(rate, 6, 0, 0, 2, 20).decide(at(3, 5)), "never below MIN");
        assertEquals("ref-headroom h=0.50 W=0s", none.name());
    }

    @Test
    void theFamilyReadsNothingAfterNow() {
        double[] rate = {5, 9, 2, 7, 7, 1, 3, 8};
        double[] changedFuture = rate.clone();
        changedFuture[6] = 100;
        changedFuture[7] = 0;
        assertArrayEquals(new double[] {5, 9, 9, 9, 7, 7, 7, 8}, HeadroomScaler.peaks(rate, 2));
        assertArrayEquals(Arrays.copyOf(HeadroomScaler.peaks(rate, 2), 6),
                Arrays.copyOf(HeadroomScaler.peaks(changedFuture, 2), 6));
    }
}
