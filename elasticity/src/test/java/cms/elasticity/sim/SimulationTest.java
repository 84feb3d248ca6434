package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The pod model and the simulated clock: start-up, scale-in, metric lag, and whole runs. */
class SimulationTest {

    /** Asks for given sizes at given seconds and remembers what it saw. */
    private static final class Scripted implements Scaler {
        final int[] sizeAt;
        final List<Observation> seen = new ArrayList<>();

        Scripted(int... sizeAt) {
            this.sizeAt = sizeAt;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public int decide(Observation o) {
            seen.add(o);
            return sizeAt[seen.size() - 1];
        }
    }

    @Test
    void demandIsTheCeilingOfRateOverCapacityAndAtLeastOne() {
        PodModel m = new PodModel(10, 0, 0);
        assertEquals(1, m.demand(0));
        assertEquals(1, m.demand(10));
        assertEquals(2, m.demand(10.5));
        assertEquals(3, new PodModel(0.1, 0, 0).demand(0.3), "0.3 / 0.1 is 2.9999…: still 3");
        assertEquals(11, new PodModel(0.1, 0, 0).demand(1.1), "1.1 / 0.1 is 11.000…2: still 11");
        assertEquals(0.75, m.utilisation(15, 2));
        assertEquals(1.0, m.utilisation(50, 2), "a node cannot use more than its share");
    }

    @Test
    void aNewNodeIsStartingForTheStartUpDelayThenSupplied() {
        Scripted s = new Scripted(2, 2, 2, 2, 2);
        Simulation.Run run = Simulation.run(new double[]{10, 10, 10, 10, 10}, new PodModel(10, 2, 0), 1, s);
        assertArrayEquals(new int[]{1, 1, 2, 2, 2}, run.supplied(), "asked at step 0, supplied from step 2");
        assertArrayEquals(new int[]{0, 1, 0, 0, 0}, run.starting());
        assertEquals(1, run.actions());
    }

    @Test
    void scaleInRemovesAtOnceStartingNodesFirst() {
        SimulatedPod pod = new SimulatedPod(new PodModel(10, 5, 0), 3);
        pod.step(0, 10);
        pod.resize(5, 0);
        assertEquals(3, pod.supplied());
        assertEquals(2, pod.starting());
        pod.resize(2, 0);
        assertEquals(2, pod.supplied(), "both starting nodes went first, then one supplied");
        assertEquals(0, pod.starting());
    }

    @Test
    void thePolicySeesTheSmoothedUtilisationFromLagSecondsAgo() {
        // 1 node of capacity 10; rates 0, 10, 5, 5, 5, 2: utilisation 0, 1, 0.5, 0.5, 0.5, 0.2
        Scripted s = new Scripted(1, 1, 1, 1, 1, 1);
        Simulation.run(new double[]{0, 10, 5, 5, 5, 2}, new PodModel(10, 0, 2, 3), 1, s);
        List<OptionalDouble> seen = s.seen.stream().map(Observation::utilisation).toList();
        assertEquals(OptionalDouble.empty(), seen.get(0), "nothing is 2 s old yet");
        assertEquals(OptionalDouble.empty(), seen.get(1));
        assertEquals(OptionalDouble.of(0.0), seen.get(2), "step 0 only");
        assertEquals(OptionalDouble.of(0.5), seen.get(3), "steps 0, 1");
        assertEquals(OptionalDouble.of(0.5), seen.get(4), "steps 0, 1, 2");
        assertEquals(2.0 / 3, seen.get(5).getAsDouble(), 1e-9, "steps 1, 2, 3");
        assertEquals(Simulation.START.plusSeconds(5), s.seen.get(5).now());
    }

    @Test
    void aRunIsDeterministicAndEveryScalerStaysInsideItsBounds() throws Exception {
        Trace trace = TraceReader.read(new StringReader("t_seconds,requests_per_second\n0,10\n60,45\n120,95\n"
                + "180,20\n400,2\n800,2\n"), "t.csv");
        SimulationSettings settings = new SimulationSettings(cms.elasticity.policy.ScalingPolicy.Mode.THRESHOLD,
                cms.elasticity.policy.ScalingPolicy.Step.ONE, 1, 8, 0.2, 0.8, 0.5);
        PodModel model = new PodModel(10, 5, 1);
        Simulation.Result a = Simulation.run(trace, model, settings);
        Simulation.Result b = Simulation.run(trace, model, settings);
        assertEquals(801, a.demand().length);
        assertEquals(1, a.demand()[0]);
        assertEquals(10, a.demand()[150], "95 requests/s at 10 each");
        assertEquals(List.of("cms-threshold", "original", "hpa"), a.runs().stream().map(Simulation.Run::scaler).toList());
        for (int i = 0; i < a.runs().size(); i++) {
            Simulation.Run run = a.runs().get(i);
            assertArrayEquals(run.supplied(), b.runs().get(i).supplied(), run.scaler());
            assertEquals(run.actions(), b.runs().get(i).actions());
            for (int k = 0; k < run.supplied().length; k++) {
                int total = run.supplied()[k] + run.starting()[k];
                assertTrue(total >= 1 && total <= 8, run.scaler() + " at " + k + ": " + total);
            }
            assertTrue(run.actions() > 0, run.scaler() + " never moved");
            assertEquals(1, run.supplied()[run.supplied().length - 1], run.scaler() + " shrank back to 1 by the end");
        }
    }
}
