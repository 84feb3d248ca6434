package cms.elasticity.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What is attainable on a case, measured: the {@link HindsightScaler} (the bound for any scaler) and every member of
 * the causal {@link HeadroomScaler} family over a grid of headroom h and hold W, each judged against the goals with
 * the case's own baselines. The members that stand out are kept: the cheapest that meets every goal, or, when none
 * does, the least θ_U within the θ_O goal; the least θ_O with θ_U and the SLO goal met; the fewest seconds short
 * within the θ_O goal.
 */
public final class ReferenceSweep {

    /** Headroom: 0 to 2 in steps of 0.05, then to 6 in steps of 0.25 (a crowd of 8× needs h = 7, past any goal). */
    static final List<Double> HEADROOMS;
    /** Hold: none, a quarter of a minute, the service's scale-in window, and longer, up to HPA's 300 s. */
    static final List<Integer> HOLDS = List.of(0, 15, 30, 60, 120, 300);

    public static final List<String> HEADER = List.of("TRACE", "START", "HINDSIGHT", "CAUSAL FAMILY MEETS ALL",
            "LEAST THETA_U AT THETA_O GOAL", "LEAST THETA_O AT THETA_U+SLO GOALS", "FEWEST SLO S AT THETA_O GOAL");

    static {
        List<Double> h = new ArrayList<>();
        for (int i = 0; i <= 40; i++) {
            h.add(i * 0.05);
        }
        for (int i = 1; i <= 16; i++) {
            h.add(2 + i * 0.25);
        }
        HEADROOMS = List.copyOf(h);
    }

    /** One member's run, its metrics and the goals it missed. */
    public record Member(String name, Simulation.Run run, ElasticityMetrics metrics, List<String> missed) {

        boolean meets(String goal) {
            return missed.stream().noneMatch(m -> m.startsWith(goal));
        }
    }

    /**
     * One case with the reference rows appended (hindsight, then the family's {@code shown} member), and what the
     * family reached; an empty optional where no member qualified.
     */
    public record Reach(LibraryRun.Case withReferences, Member hindsight, Member shown, boolean causalMeetsAll,
                        Optional<Member> leastUnder, Optional<Member> leastOver, Optional<Member> fewestShort) {
    }

    private ReferenceSweep() {
    }

    /** Every case swept, on the pod model of its start-up, {@code capacity} and {@code lagSeconds}. */
    public static List<Reach> sweep(List<LibraryRun.Case> cases, double capacity, int lagSeconds,
                                    SimulationSettings settings) {
        return cases.stream().map(c -> sweep(c, new PodModel(capacity, c.startupSeconds(), lagSeconds), settings))
                .toList();
    }

    static Reach sweep(LibraryRun.Case c, PodModel model, SimulationSettings settings) {
        Trace trace = c.trace().trace();
        double[] rate = new double[trace.seconds()];
        for (int k = 0; k < rate.length; k++) {
            rate[k] = trace.rateAt(k);
        }
        int[] demand = c.result().demand();
        int initial = Math.max(settings.min(), Math.min(settings.max(), demand[0]));
        Member hindsight = member(c, Simulation.run(rate, model, initial,
                new HindsightScaler(demand, model.startupSeconds(), settings.min(), settings.max())));
        List<Member> family = new ArrayList<>();
        for (int hold : HOLDS) {
            for (double h : HEADROOMS) {
                family.add(member(c, Simulation.run(rate, model, initial,
                        new HeadroomScaler(rate, model.capacity(), h, hold, settings.min(), settings.max()))));
            }
        }
        Comparator<Member> cost = Comparator.comparingLong(m -> m.metrics().nodeSeconds());
        Optional<Member> cheapest = best(family, m -> m.missed().isEmpty(), cost);
        Optional<Member> leastUnder = best(family, m -> m.meets("θ_O"), Comparator.<Member>comparingDouble(
                m -> m.metrics().underAccuracy()).thenComparingInt(m -> m.metrics().sloViolationSeconds()).thenComparing(cost));
        Optional<Member> leastOver = best(family, m -> m.meets("θ_U") && m.meets("SLO"),
                Comparator.<Member>comparingDouble(m -> m.metrics().overAccuracy()).thenComparing(cost));
        Optional<Member> fewestShort = best(family, m -> m.meets("θ_O"), Comparator.<Member>comparingInt(
                m -> m.metrics().sloViolationSeconds()).thenComparing(cost));
        Member shown = cheapest.or(() -> leastUnder).orElse(family.get(0));
        List<Simulation.Run> runs = new ArrayList<>(c.result().runs());
        runs.add(hindsight.run());
        runs.add(shown.run());
        LibraryRun.Case with = new LibraryRun.Case(c.trace(), c.startupSeconds(),
                new Simulation.Result(demand, List.copyOf(runs)));
        return new Reach(with, hindsight, shown, cheapest.isPresent(), leastUnder, leastOver, fewestShort);
    }

    private static Optional<Member> best(List<Member> family, Predicate<Member> ok, Comparator<Member> order) {
        return family.stream().filter(ok).min(order);
    }

    private static Member member(LibraryRun.Case c, Simulation.Run run) {
        ElasticityMetrics m = c.result().metrics(run);
        return new Member(run.scaler(), run, m, LibraryRun.missed(m, c.baseline("original"), c.baseline("hpa"),
                c.startupSeconds()));
    }

    /** One row a case: what the hindsight bound and the causal family reached. */
    public static List<List<String>> rows(List<Reach> reaches) {
        List<List<String>> rows = new ArrayList<>();
        for (Reach r : reaches) {
            LibraryRun.Case c = r.withReferences();
            rows.add(List.of(c.trace().name() + (c.trace().heldOut() ? " (held out)" : ""), c.startupSeconds() + " s",
                    r.hindsight().missed().isEmpty() ? "met" : "missed: " + String.join("; ", r.hindsight().missed()),
                    r.causalMeetsAll() ? "yes: " + describe(r.shown()) : "no",
                    r.leastUnder().map(ReferenceSweep::describe).orElse("none"),
                    r.leastOver().map(ReferenceSweep::describe).orElse("none"),
                    r.fewestShort().map(ReferenceSweep::describe).orElse("none")));
        }
        return rows;
    }

    private static String describe(Member m) {
        ElasticityMetrics x = m.metrics();
        return String.format(Locale.ROOT, "%s θ_U %.1f θ_O %.1f SLO %d s node-s %d", m.name().substring("ref-headroom "
                .length()), x.underAccuracy(), x.overAccuracy(), x.sloViolationSeconds(), x.nodeSeconds());
    }
}
