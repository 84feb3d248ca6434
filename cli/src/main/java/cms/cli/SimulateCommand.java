package cms.cli;

import cms.core.model.ElasticityPolicy;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.sim.HtmlReport;
import cms.elasticity.sim.LibraryRun;
import cms.elasticity.sim.MetricsTable;
import cms.elasticity.sim.PodModel;
import cms.elasticity.sim.ReferenceSweep;
import cms.elasticity.sim.Simulation;
import cms.elasticity.sim.SimulationSettings;
import cms.elasticity.sim.TraceException;
import cms.elasticity.sim.TraceLibrary;
import cms.elasticity.sim.TraceReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cms elasticity simulate}: replays a trace through our policy, the original rule and HPA on a
 * simulated clock (see {@code cms.elasticity.sim}) and prints one row of elasticity metrics per scaler.
 * Exit codes: 0 done, 1 the plot could not be written, 2 a bad option or a bad trace (one line).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Replay a load trace (CSV t_seconds,requests_per_second) through our policy, the original "
                + "+1/-1 rule and Kubernetes' HPA on a simulated clock, and print the elasticity metrics.")
final class SimulateCommand implements Callable<Integer> {

    static final int USAGE = 2;
    /** The modes --mode takes: the service's demand mode is its own row, --demand. */
    private static final List<String> SIMULATED_MODES = List.of("threshold", "target");

    @Option(names = "--trace", required = true, paramLabel = "FILE.csv|DIR", description = "the load trace; a "
            + "folder stands for every .csv in it (e.g. docs/traces, the trace library); repeat for more")
    List<Path> traces;

    @Option(names = "--capacity", paramLabel = "RPS", description = "requests/s one node serves at its full CPU "
            + "share (default 6: a medium node, 50 ms of CPU per request at 0.3 CPU)")
    double capacity = 6;

    @Option(names = "--startup-seconds", paramLabel = "S", split = ",", description = "launch to supplied (ONLINE, "
            + "in the balancer); default 2 (a Docker node to its first request, docs/benchmarks.md); several (2,30) "
            + "run each trace with each")
    List<Integer> startupSeconds = List.of(2);

    @Option(names = "--lag-seconds", paramLabel = "L", description = "age of the metric the policy sees "
            + "(default 1: nodes send a sample a second); it is smoothed over 3 s, as the service does")
    int lagSeconds = 1;

    @Option(names = "--min", paramLabel = "N", description = "fewest nodes (default 1)")
    int min = SimulationSettings.DEFAULT_MIN;

    @Option(names = "--max", paramLabel = "N", description = "most nodes (default 20, a pod's default node limit)")
    int max = SimulationSettings.DEFAULT_MAX;

    @Option(names = "--mode", paramLabel = "threshold|target", description = "our policy's mode (default threshold, "
            + "as the service)")
    String mode = "threshold";

    @Option(names = "--step", paramLabel = "one|proportional", description = "threshold mode's step (default "
            + "proportional, as the service)")
    String step = "proportional";

    @Option(names = "--lower", paramLabel = "V", description = "lower CPU threshold, ours and the original rule's "
            + "(default 0.2)")
    double lower = ElasticityPolicy.DEFAULT_LOWER;

    @Option(names = "--upper", paramLabel = "V", description = "upper CPU threshold (default 0.8)")
    double upper = ElasticityPolicy.DEFAULT_UPPER;

    @Option(names = "--target", paramLabel = "V", description = "CPU target of target mode and of HPA (default 0.5)")
    double target = SimulationSettings.DEFAULT_TARGET;

    @Option(names = "--demand", paramLabel = "V", description = "also run our policy sized from demand, each node "
            + "at this share of its learned capacity (default 0: not run)")
    double demand = 0;

    @Option(names = "--reference", description = "with several traces or start-ups: also run the reference scalers "
            + "(not contenders): hindsight, which sees demand one start-up ahead, and the best of a causal family "
            + "(⌈(1+h) × the peak rate of the last W s / capacity⌉, h and W swept), and print what each case can reach")
    boolean reference;

    @Option(names = "--plot", paramLabel = "out.html", description = "also write demand and supply over time, and "
            + "the table, to this self-contained HTML file")
    Path plot;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    SimulateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Bad options: one line on stderr, exit code 2 (picocli's own errors and ours alike). */
    static int usageError(CommandLine.ParameterException e, PrintStream err) {
        err.println("cms elasticity simulate: " + e.getMessage().lines().findFirst().orElse("bad usage")
                + " (see: cms elasticity simulate --help)");
        return USAGE;
    }

    @Override
    public Integer call() {
        SimulationSettings settings;
        try {
            for (int startup : startupSeconds) {
                new PodModel(capacity, startup, lagSeconds);
            }
            settings = new SimulationSettings(word("--mode", mode, SIMULATED_MODES, ScalingPolicy.Mode.class),
                    word("--step", step, ElasticityPolicy.STEPS, ScalingPolicy.Step.class), min, max, lower, upper,
                    target, demand);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<LibraryRun.NamedTrace> named = new ArrayList<>();
        try {
            for (Path t : traces) {
                for (Path file : files(t)) {
                    String name = file.getFileName().toString().replaceFirst("\\.csv$", "");
                    named.add(new LibraryRun.NamedTrace(name, TraceLibrary.HELD_OUT.contains(name),
                            TraceReader.read(file)));
                }
            }
        } catch (TraceException e) {
            err.println("cms elasticity simulate: " + e.getMessage());
            return USAGE;
        }
        if (named.size() == 1 && startupSeconds.size() == 1) {
            String title = Files.isDirectory(traces.get(0)) ? named.get(0).name() + ".csv"
                    : traces.get(0).getFileName().toString();
            return one(named.get(0), title, new PodModel(capacity, startupSeconds.get(0), lagSeconds), settings);
        }
        if (plot != null) {
            err.println("cms elasticity simulate: --plot draws one run: give one trace file and one --startup-seconds "
                    + "(see: cms elasticity simulate --help)");
            return USAGE;
        }
        List<LibraryRun.Case> cases = LibraryRun.run(named, startupSeconds, capacity, lagSeconds, settings);
        if (!reference) {
            Tables.print(out, LibraryRun.HEADER, LibraryRun.rows(cases));
            out.println(LibraryRun.summary(cases));
            return 0;
        }
        List<ReferenceSweep.Reach> reaches = ReferenceSweep.sweep(cases, capacity, lagSeconds, settings);
        Tables.print(out, LibraryRun.HEADER, LibraryRun.rows(reaches.stream().map(ReferenceSweep.Reach::withReferences)
                .toList()));
        out.println(LibraryRun.summary(cases));
        out.println();
        out.println("What is attainable (references, not contenders): hindsight sees demand one start-up ahead; the "
                + "causal family is ⌈(1+h) × peak rate of the last W s / capacity⌉, read without lag, h and W swept:");
        Tables.print(out, ReferenceSweep.HEADER, ReferenceSweep.rows(reaches));
        return 0;
    }

    /** The table of one trace at one start-up time, and its plot if asked for. */
    private int one(LibraryRun.NamedTrace t, String title, PodModel model, SimulationSettings settings) {
        Simulation.Result result = Simulation.run(t.trace(), model, settings);
        Tables.print(out, MetricsTable.HEADER, MetricsTable.rows(result));
        if (plot != null) {
            try {
                Files.writeString(plot, HtmlReport.render(result, model, settings, title),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("cms elasticity simulate: cannot write the plot " + plot + ": " + e.getMessage());
                return 1;
            }
            out.println("plot: " + plot);
        }
        return 0;
    }

    /** A file as itself; a folder as its .csv files by name. */
    private static List<Path> files(Path path) throws TraceException {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> list = Files.list(path)) {
            List<Path> csv = list.filter(f -> f.getFileName().toString().endsWith(".csv") && Files.isRegularFile(f))
                    .sorted().toList();
            if (csv.isEmpty()) {
                throw new TraceException(path + ": no .csv trace in this folder");
            }
            return csv;
        } catch (IOException e) {
            throw new TraceException(path + ": cannot list: " + e.getMessage());
        }
    }

    private static <E extends Enum<E>> E word(String option, String value, List<String> allowed, Class<E> type) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(option + " '" + value + "' is not one of " + String.join(", ", allowed));
        }
        return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    }
}
