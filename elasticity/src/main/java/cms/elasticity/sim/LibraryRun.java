package cms.elasticity.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the three scalers over several traces and start-up times, and checks our policy's row of each case against
 * the goals of the elasticity issue: θ_U ≤ 1 %; θ_O ≤ 60 % with a start-up of 2 s or less and ≤ 100 % with a longer
 * one; fewer SLO-violation seconds than both baselines (none, where a baseline has none); fewer node-seconds than
 * HPA.
 */
public final class LibraryRun {

    /** Where our policy may over-provision: θ_O % with a start-up of at most {@link #FAST_START_SECONDS}. */
    public static final double OVER_GOAL_FAST_START = 60;
    public static final double OVER_GOAL = 100;
    public static final int FAST_START_SECONDS = 2;
    public static final double UNDER_GOAL = 1;
    /** How the names of reference scalers begin: rows that show what is attainable, not contenders. */
    public static final String REFERENCE = "ref-";

    /** A named trace, and whether it was held out of tuning. */
    public record NamedTrace(String name, boolean heldOut, Trace trace) {
    }

    /** One trace at one start-up time: the three scalers' runs (ours first, then the original rule, then HPA). */
    public record Case(NamedTrace trace, int startupSeconds, Simulation.Result result) {

        ElasticityMetrics metrics(int run) {
            return result.metrics(result.runs().get(run));
        }

        /**
         * The goals the scaler of row {@code run} missed, against the original rule's and HPA's rows, one phrase each;
         * empty when it met them all.
         */
        public List<String> missed(int run) {
            return LibraryRun.missed(metrics(run), metrics(index("original")), metrics(index("hpa")), startupSeconds);
        }

        /** The greatest θ_O % the goals allow at this start-up time. */
        public double overGoal() {
            return startupSeconds <= FAST_START_SECONDS ? OVER_GOAL_FAST_START : OVER_GOAL;
        }

        ElasticityMetrics baseline(String scaler) {
            return metrics(index(scaler));
        }

        private int index(String scaler) {
            for (int i = 0; i < result.runs().size(); i++) {
                if (result.runs().get(i).scaler().equals(scaler)) {
                    return i;
                }
            }
            throw new IllegalStateException("no " + scaler + " run to compare with");
        }
    }

    public static final List<String> HEADER;

    static {
        List<String> header = new ArrayList<>(List.of("TRACE", "START"));
        header.addAll(MetricsTable.HEADER);
        header.add("GOALS");
        HEADER = List.copyOf(header);
    }

    private LibraryRun() {
    }

    /**
     * The goals {@code ours} missed against the original rule's and HPA's metrics at a start-up of {@code startup}
     * seconds, one phrase each; empty when it met them all.
     */
    static List<String> missed(ElasticityMetrics ours, ElasticityMetrics original, ElasticityMetrics hpa,
                               int startup) {
        List<String> missed = new ArrayList<>();
        if (ours.underAccuracy() > UNDER_GOAL) {
            missed.add(String.format(Locale.ROOT, "θ_U %.1f > %.0f", ours.underAccuracy(), UNDER_GOAL));
        }
        double overGoal = startup <= FAST_START_SECONDS ? OVER_GOAL_FAST_START : OVER_GOAL;
        if (ours.overAccuracy() > overGoal) {
            missed.add(String.format(Locale.ROOT, "θ_O %.1f > %.0f", ours.overAccuracy(), overGoal));
        }
        int fewest = Math.min(original.sloViolationSeconds(), hpa.sloViolationSeconds());
        if (ours.sloViolationSeconds() > 0 && ours.sloViolationSeconds() >= fewest) {
            missed.add(String.format(Locale.ROOT, "SLO %d s ≥ %d", ours.sloViolationSeconds(), fewest));
        }
        if (ours.nodeSeconds() >= hpa.nodeSeconds()) {
            missed.add(String.format(Locale.ROOT, "node-s %d ≥ hpa %d", ours.nodeSeconds(), hpa.nodeSeconds()));
        }
        return missed;
    }

    /** Every trace at every start-up time, in that order, on the pod model of {@code capacity} and {@code lag}. */
    public static List<Case> run(List<NamedTrace> traces, List<Integer> startups, double capacity, int lagSeconds,
                                 SimulationSettings settings) {
        List<Case> cases = new ArrayList<>();
        for (NamedTrace t : traces) {
            for (int startup : startups) {
                PodModel model = new PodModel(capacity, startup, lagSeconds);
                cases.add(new Case(t, startup, Simulation.run(t.trace(), model, settings)));
            }
        }
        return cases;
    }

    /** One row per scaler and case; our policy's row ends with the goals it met or missed. */
    public static List<List<String>> rows(List<Case> cases) {
        List<List<String>> rows = new ArrayList<>();
        for (Case c : cases) {
            List<Simulation.Run> runs = c.result().runs();
            for (int i = 0; i < runs.size(); i++) {
                List<String> row = new ArrayList<>();
                row.add(c.trace().name() + (c.trace().heldOut() ? " (held out)" : ""));
                row.add(c.startupSeconds() + " s");
                row.addAll(MetricsTable.row(runs.get(i).scaler(), c.metrics(i)));
                row.add(goals(c, i));
                rows.add(row);
            }
        }
        return rows;
    }

    /** Our rows: the goals met or missed; the reference rows (names "ref-…") the same, said to be a reference. */
    private static String goals(Case c, int run) {
        String scaler = c.result().runs().get(run).scaler();
        boolean reference = scaler.startsWith(REFERENCE);
        if (!scaler.startsWith("cms-") && !reference) {
            return "";
        }
        List<String> missed = c.missed(run);
        return (reference ? "REFERENCE, not a contender: " : "")
                + (missed.isEmpty() ? "met" : "missed: " + String.join("; ", missed));
    }

    /** How many cases each of our scalers met every goal in, of how many. */
    public static String summary(List<Case> cases) {
        StringBuilder counts = new StringBuilder();
        List<Simulation.Run> runs = cases.isEmpty() ? List.of() : cases.get(0).result().runs();
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).scaler().startsWith("cms-")) {
                int run = i;
                long met = cases.stream().filter(c -> c.missed(run).isEmpty()).count();
                counts.append(counts.length() == 0 ? "" : ", ").append(runs.get(i).scaler()).append(' ').append(met);
            }
        }
        return String.format(Locale.ROOT, "goals met in %s of %d cases (θ_U ≤ %.0f %%, θ_O ≤ %.0f %% at ≤ %d s start-up "
                + "and ≤ %.0f %% beyond, fewer SLO-violation seconds than both baselines, fewer node-seconds than hpa)",
                counts, cases.size(), UNDER_GOAL, OVER_GOAL_FAST_START, FAST_START_SECONDS, OVER_GOAL);
    }
}
