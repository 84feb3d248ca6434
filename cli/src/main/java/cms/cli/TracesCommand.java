package cms.cli;

import cms.elasticity.sim.TraceLibrary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cms elasticity traces}: writes the trace library (six load shapes made from a seed, see
 * {@link TraceLibrary}) as CSV files the simulator reads. With the default seed it writes the files of
 * {@code docs/traces/} again, byte for byte. Exit codes: 0 written, 1 a file could not be written.
 */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = "Write the trace library (daily cycle, flash crowd, slow ramp, sawtooth, noisy plateau, on/off "
                + "bursts) as CSV files for 'cms elasticity simulate'.")
final class TracesCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "where to write NAME.csv (default docs/traces)")
    Path dir = Path.of("docs", "traces");

    @Option(names = "--seed", paramLabel = "N", description = "the noise's seed (default ${DEFAULT-VALUE}: the files "
            + "in docs/traces)")
    long seed = TraceLibrary.SEED;

    private final PrintStream out;
    private final PrintStream err;

    TracesCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        List<TraceLibrary.Shape> shapes = TraceLibrary.generate(seed);
        List<Path> files;
        try {
            files = TraceLibrary.write(dir, shapes);
        } catch (IOException e) {
            err.println("cms elasticity traces: cannot write into " + dir + ": " + e.getMessage());
            return 1;
        }
        for (int i = 0; i < shapes.size(); i++) {
            TraceLibrary.Shape shape = shapes.get(i);
            out.printf("%s  %s%s%n", files.get(i), shape.description(),
                    TraceLibrary.HELD_OUT.contains(shape.name()) ? " (held out of tuning)" : "");
        }
        out.println(files.size() + " traces written, seed " + seed);
        return 0;
    }
}
