package cms.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code cms bench cloud}: the wall time of {@code ./cloud pod ls} (a new JVM each run, as a user's shell starts it)
 * against a running CMS, or one it starts with {@code cms dev} and {@code cloud init}; with {@code --compare}, other
 * command lines side by side (another build's {@code cloud}, the same with other settings), alternated run by run so
 * that the machine's load falls on each alike. Median, min and max per command line.
 */
final class CloudBench {

    private final PrintStream out;

    CloudBench(PrintStream out) {
        this.out = out;
    }

    int run(int runs, String cloud, List<String> compare, String url, String token) throws Exception {
        if (url != null) {
            return measure(runs, commands(cloud, compare), url, token);
        }
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start()) {
            int init = new BenchApi(dev.url, dev.token).post("/api/init", Map.of());
            if (init != 200 && init != 201) {
                throw new IllegalStateException("cloud init: HTTP " + init);
            }
            return measure(runs, commands(cloud, compare), dev.url, dev.token);
        }
    }

    private static List<String> commands(String cloud, List<String> compare) {
        if (!Files.isExecutable(Path.of(cloud))) {
            throw new IllegalArgumentException("--cloud: no executable " + cloud + " (run from the repository, or "
                    + "give the cloud script's path)");
        }
        List<String> commands = new ArrayList<>(compare);
        commands.add(0, cloud + " pod ls");
        return commands;
    }

    private int measure(int runs, List<String> commands, String url, String token) throws Exception {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        commands.forEach(c -> seconds.put(c, new ArrayList<>()));
        for (String c : commands) {
            once(c, url, token); // untimed: a first run after a build may write its class-data archive
        }
        for (int i = 0; i < runs; i++) {
            for (String c : commands) {
                seconds.get(c).add(once(c, url, token));
            }
        }
        out.printf(Locale.ROOT, "%d runs of each, alternated, against %s:%n", runs, url);
        seconds.forEach((c, s) -> out.printf(Locale.ROOT, "  median %.3f s, min %.3f s, max %.3f s  %s%n",
                BenchCommand.percentile(s, 50), Collections.min(s), Collections.max(s), c));
        return 0;
    }

    /** One run of {@code command} (by bash, so it may set variables) with the API's URL and token; its seconds. */
    private static double once(String command, String url, String token) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        pb.environment().put("CMS_URL", url);
        if (token != null) {
            pb.environment().put("CMS_TOKEN", token);
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + ": still running after 60 s");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + ": exit " + p.exitValue() + ": " + output.strip());
        }
        return s;
    }
}
