package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep on hand-made traces: what a causal rule reaches, what only hindsight does, and how it is shown. */
class ReferenceSweepTest {

    private static LibraryRun.NamedTrace trace(String name, double... rows) {
        List<Trace.Point> points = new ArrayList<>();
        for (int i = 0; i < rows.length; i += 2) {
            points.add(new Trace.Point(rows[i], rows[i + 1]));
        }
        return new LibraryRun.NamedTrace(name, false, new Trace(points));
    }

    private static ReferenceSweep.Reach reach(LibraryRun.NamedTrace t, int startup) {
        SimulationSettings settings = SimulationSettings.defaults().withDemand(0.7);
        List<LibraryRun.Case> cases = LibraryRun.run(List.of(t), List.of(startup), 6, 1, settings);
        return ReferenceSweep.sweep(cases, 6, 1, settings).get(0);
    }

    @Test
    void aStepTenTimesOverWithSlowStartsIsMetOnlyWithHindsight() {
        ReferenceSweep.Reach r = reach(trace("step", 0, 6, 300, 60, 900, 60), 30);
        assertEquals(List.of(), r.hindsight().missed(), "sees it coming: never short, nothing idle");
        assertEquals(0, r.hindsight().metrics().sloViolationSeconds());
        assertFalse(r.causalMeetsAll());
        assertTrue(r.leastUnder().orElseThrow().metrics().underAccuracy() > LibraryRun.UNDER_GOAL,
                "within θ_O ≤ 100 % no rule of the family keeps enough idle nodes for 10× at once");
        assertTrue(r.leastOver().isEmpty() || r.leastOver().get().metrics().overAccuracy() > 100);
    }

    @Test
    void aSlowRampIsMetByACausalRuleAndTheCheapestIsShown() {
        ReferenceSweep.Reach r = reach(trace("ramp", 0, 6, 1200, 90, 1800, 90), 2);
        assertTrue(r.causalMeetsAll());
        assertEquals(List.of(), r.shown().missed());
        List<Simulation.Run> runs = r.withReferences().result().runs();
        assertEquals(List.of("cms-threshold", "original", "hpa", "cms-demand", "ref-hindsight", r.shown().name()),
                runs.stream().map(Simulation.Run::scaler).toList());
        List<List<String>> rows = LibraryRun.rows(List.of(r.withReferences()));
        String goals = rows.get(5).get(LibraryRun.HEADER.size() - 1);
        assertEquals("REFERENCE, not a contender: met", goals);
        assertEquals("", rows.get(1).get(LibraryRun.HEADER.size() - 1), "baselines are not judged");
        assertTrue(LibraryRun.summary(List.of(r.withReferences())).startsWith("goals met in cms-threshold "),
                "references are not counted: " + LibraryRun.summary(List.of(r.withReferences())));
        assertFalse(LibraryRun.summary(List.of(r.withReferences())).contains("ref-"));
        assertTrue(ReferenceSweep.rows(List.of(r)).get(0).get(3).startsWith("yes: h="));
    }
}
