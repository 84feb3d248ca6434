package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.elasticity.policy.DemandEstimator;
import cms.elasticity.policy.ScalingPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demand-sized scaler on the simulated clock, beside the default policy on the same steps. */
class DemandScalerTest {

    private static double[] step(double before, double after, int at, int length) {
        double[] rate = new double[length];
        Arrays.fill(rate, 0, at, before);
        Arrays.fill(rate, at, length, after);
        return rate;
    }

    private static int firstAt(int[] supplied, int size, int from) {
        for (int k = from; k < supplied.length; k++) {
            if (supplied[k] >= size) {
                return k;
            }
        }
        return -1;
    }

    @Test
    void aStepThatSaturatesTheCpuIsSizedInOneActionFromTheRequestRate() {
        PodModel model = new PodModel(6, 2, 1);
        double[] rate = step(9, 60, 60, 180); // 9 req/s on 3 nodes (0.5), then 60: 10 nodes at full CPU
        Simulation.Run demand = Simulation.run(rate, model, 3,
                new DemandScaler(ScalingPolicy.target(1, 20, 0.7), Duration.ofSeconds(2)));
        Simulation.Run threshold = Simulation.run(rate, model, 3,
                new PolicyScaler(ScalingPolicy.threshold(1, 20, 0.2, 0.8)));
        int want = (int) Math.ceil(60 / 6.0 / 0.7); // 15
        assertEquals(want, demand.supplied()[179], "settled at ⌈60 / 6 / 0.7⌉");
        int byDemand = firstAt(demand.supplied(), 10, 60);
        int byThreshold = firstAt(threshold.supplied(), 10, 60);
        assertTrue(byDemand > 60 && byDemand <= 66, "enough nodes " + (byDemand - 60) + " s after the step");
        assertTrue(byThreshold > byDemand, "the CPU alone (saturated) needed until second " + byThreshold);
        assertTrue(demand.actions() <= 3, "actions " + demand.actions());
    }

    @Test
    void aSmoothedCpuThatHoldsASaturatedSecondTeachesNoCapacityAsInTheService() {
        PodModel model = new PodModel(6, 2, 1);
        double[] rate = step(9, 60, 60, 120); // 9 req/s on 3 nodes (0.5), then 60: the CPU saturates
        int[] total = new int[rate.length];
        Simulation.Run run = Simulation.run(rate, model, 3, new DemandScaler(ScalingPolicy.target(1, 20, 0.7),
                Duration.ofSeconds(2)));
        for (int k = 0; k < rate.length; k++) {
            total[k] = run.supplied()[k] + run.starting()[k];
        }
        int first = firstAt(total, 4, 60);
        // the mean of (0.5, 0.5, 1.0) read as 60 / (0.67 × 3) = 30 req/s a node would have asked for ⌈60 / 30 / 0.7⌉
        assertEquals((int) Math.ceil(60 / 6.0 / 0.7), total[first], "the first scale-out after the step, at " + first);
    }

    @Test
    void aSteadyRiseIsMetOneStartUpAheadWhenNodesStartSlowly() {
        PodModel slow = new PodModel(6, 30, 1);
        double[] rate = new double[600];
        for (int k = 0; k < rate.length; k++) {
            rate[k] = 6 + 0.15 * k; // +9 req/s a minute: about 1.5 nodes a minute
        }
        Simulation.Run withTrend = Simulation.run(rate, slow, 2,
                new DemandScaler(ScalingPolicy.target(1, 20, 0.7), Duration.ofSeconds(30)));
        Simulation.Run without = Simulation.run(rate, slow, 2,
                new DemandScaler(ScalingPolicy.target(1, 20, 0.7), Duration.ZERO));
        int[] demand = Arrays.stream(rate).mapToInt(slow::demand).toArray();
        ElasticityMetrics ahead = ElasticityMetrics.of(demand, withTrend.supplied(), withTrend.starting(), 1);
        ElasticityMetrics behind = ElasticityMetrics.of(demand, without.supplied(), without.starting(), 1);
        assertEquals(0, ahead.sloViolationSeconds(), "never short when the trend is read one start-up ahead");
        assertTrue(ahead.nodeSeconds() > behind.nodeSeconds(), "which costs some nodes");
    }

    @Test
    void theSimulatorRunsItAsAFourthScalerOnlyWhenAskedTo() {
        Trace t = new Trace(List.of(new Trace.Point(0, 9), new Trace.Point(60, 60), new Trace.Point(179, 60)));
        PodModel model = new PodModel(6, 2, 1);
        assertEquals(List.of("cms-threshold", "original", "hpa"), Simulation.run(t, model,
                SimulationSettings.defaults()).runs().stream().map(Simulation.Run::scaler).toList());
        assertEquals(List.of("cms-threshold", "original", "hpa", "cms-demand"), Simulation.run(t, model,
                SimulationSettings.defaults().withDemand(0.7)).runs().stream().map(Simulation.Run::scaler).toList());
    }

    @Test
    void aClearFallIsFollowedInSecondsWhenNodesStartQuicklyAndAfterAThirdOfAStartUpWhenSlowly() {
        double[] rate = step(60, 12, 120, 240); // 15 nodes at 0.7, then 3 (2 s start-ups) or 4 (30 s: room for a step)
        for (int startup : new int[] {2, 30}) {
            int settled = (int) Math.ceil(12 * (1 + DemandEstimator.UNFORESEEN_RISE * startup) / 6 / 0.7);
            PodModel model = new PodModel(6, startup, 1);
            Simulation.Run run = Simulation.run(rate, model, 15,
                    new DemandScaler(ScalingPolicy.target(1, 20, 0.7), Duration.ofSeconds(startup)));
            int shrunk = 120;
            while (run.supplied()[shrunk] > settled) {
                shrunk++;
            }
            if (startup == 2) {
                assertTrue(shrunk - 120 <= 15, "at " + settled + " nodes " + (shrunk - 120) + " s after the fall");
            } else {
                assertTrue(shrunk - 120 > 10 && shrunk - 120 <= 20, "held until the fall lasted 10 s (a third of 30 s), "
                        + "not the 30 s scale-in window: " + (shrunk - 120) + " s");
            }
            assertEquals(settled, run.supplied()[239]);
        }
    }
}
