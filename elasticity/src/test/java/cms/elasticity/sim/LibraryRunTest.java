package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The goals each case of a library run is checked against, on hand-made series. */
class LibraryRunTest {

    private static final LibraryRun.NamedTrace TRACE = new LibraryRun.NamedTrace("t", false,
            new Trace(List.of(new Trace.Point(0, 1))));

    private static int[] of(int value, int length) {
        int[] a = new int[length];
        Arrays.fill(a, value);
        return a;
    }

    private static Simulation.Run run(String name, int[] supplied) {
        return new Simulation.Run(name, supplied, new int[supplied.length], 1);
    }

    /** Demand 10 for 100 s; ours, the original rule and HPA supply what is given. */
    private static LibraryRun.Case with(int startup, int[] ours, int[] original, int[] hpa) {
        return new LibraryRun.Case(TRACE, startup, new Simulation.Result(of(10, 100),
                List.of(run("cms-threshold", ours), run("original", original), run("hpa", hpa))));
    }

    @Test
    void fewerNodesThanHpaWithinTheOverProvisioningGoalAndNeverShortMeetsEveryGoal() {
        LibraryRun.Case c = with(30, of(15, 100), of(12, 100), of(20, 100));
        assertEquals(List.of(), c.missed(0));
        assertEquals("met", LibraryRun.rows(List.of(c)).get(0).get(LibraryRun.HEADER.size() - 1));
    }

    @Test
    void overProvisioningIsHeldTo60PercentWithAFastStartAnd100WithASlowOne() {
        assertEquals(List.of("θ_O 70.0 > 60"), with(2, of(17, 100), of(12, 100), of(20, 100)).missed(0));
        assertEquals(List.of(), with(30, of(17, 100), of(12, 100), of(20, 100)).missed(0));
        assertEquals(List.of("θ_O 110.0 > 100", "node-s 2100 ≥ hpa 2000"),
                with(30, of(21, 100), of(12, 100), of(20, 100)).missed(0));
    }

    @Test
    void secondsShortMustBeFewerThanBothBaselinesAndTheUnderProvisioningSmall() {
        int[] ours = of(12, 100);
        Arrays.fill(ours, 0, 5, 9); // 5 s one node short: θ_U = 5 × 0.1 / 100 = 0.5 %
        int[] original = of(12, 100);
        Arrays.fill(original, 0, 8, 9);
        int[] hpa = of(20, 100);
        Arrays.fill(hpa, 0, 10, 9);
        assertEquals(List.of(), with(30, ours, original, hpa).missed(0), "5 s short, fewer than 8 and 10 … ");
        assertEquals(List.of("SLO 5 s ≥ 0"), with(30, ours, original, of(12, 100)).missed(0),
                "… but not when hpa was never short");
        int[] far = of(12, 100);
        Arrays.fill(far, 0, 20, 8); // 20 s two nodes short: θ_U 4 %
        assertEquals(List.of("θ_U 4.0 > 1", "SLO 20 s ≥ 8"), with(30, far, original, hpa).missed(0));
    }

    @Test
    void rowsNameTheTraceTheStartUpAndHeldOutTracesAndOnlyOurRowCarriesTheGoals() {
        LibraryRun.NamedTrace held = new LibraryRun.NamedTrace("flash-crowd", true, TRACE.trace());
        LibraryRun.Case c = new LibraryRun.Case(held, 2, with(2, of(10, 100), of(10, 100), of(10, 100)).result());
        List<List<String>> rows = LibraryRun.rows(List.of(c));
        assertEquals(3, rows.size());
        assertEquals(List.of("flash-crowd (held out)", "2 s", "cms-threshold"), rows.get(0).subList(0, 3));
        assertEquals("missed: node-s 1000 ≥ hpa 1000", rows.get(0).get(rows.get(0).size() - 1));
        assertEquals("", rows.get(1).get(rows.get(1).size() - 1));
        assertTrue(LibraryRun.summary(List.of(c)).startsWith("goals met in cms-threshold 0 of 1 cases"));
    }

    @Test
    void everyOneOfOurScalersIsCheckedAgainstTheBaselinesFoundByName() {
        LibraryRun.Case c = new LibraryRun.Case(TRACE, 30, new Simulation.Result(of(10, 100), List.of(
                run("cms-threshold", of(21, 100)), run("original", of(12, 100)), run("hpa", of(20, 100)),
                run("cms-demand", of(14, 100)))));
        List<List<String>> rows = LibraryRun.rows(List.of(c));
        assertEquals("missed: θ_O 110.0 > 100; node-s 2100 ≥ hpa 2000", rows.get(0).get(rows.get(0).size() - 1));
        assertEquals(List.of("cms-demand", "met"), List.of(rows.get(3).get(2), rows.get(3).get(rows.get(3).size() - 1)));
        assertTrue(LibraryRun.summary(List.of(c)).startsWith("goals met in cms-threshold 0, cms-demand 1 of 1 cases"),
                LibraryRun.summary(List.of(c)));
    }

    @Test
    void aRunOverTwoTracesAndTwoStartUpsIsFourCasesInOrder() {
        Trace step = new Trace(List.of(new Trace.Point(0, 5), new Trace.Point(60, 50), new Trace.Point(300, 50)));
        List<LibraryRun.Case> cases = LibraryRun.run(List.of(new LibraryRun.NamedTrace("a", false, step),
                new LibraryRun.NamedTrace("b", true, step)), List.of(2, 30), 6, 1, SimulationSettings.defaults());
        assertEquals(List.of("a 2", "a 30", "b 2", "b 30"),
                cases.stream().map(c -> c.trace().name() + " " + c.startupSeconds()).toList());
        assertEquals(Simulation.run(step, new PodModel(6, 30, 1), SimulationSettings.defaults()).demand().length,
                cases.get(1).result().demand().length);
        assertTrue(cases.get(1).metrics(0).nodeSeconds() > cases.get(0).metrics(0).nodeSeconds(),
                "a slower start costs more node-seconds for the same trace");
    }
}
