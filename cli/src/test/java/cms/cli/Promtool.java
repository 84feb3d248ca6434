package cms.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own tool ({@code promtool}, Debian's prometheus package), the real parser of what CMS writes for
 * Prometheus: {@code check metrics} reads an exposition from its input and fails on a format error (and prints the
 * linter's problems, which fail it too); {@code check config} reads a scrape configuration.
 */
final class Promtool {

    record Result(int exit, String output) {
        boolean clean() {
            return exit == 0 && output.isBlank();
        }
    }

    private Promtool() {
    }

    static void require() {
        RealParts.require("promtool (apt-get install prometheus)", () -> Files.isExecutable(Path.of("/usr/bin/promtool"))
                || !TestHosts.run("sh", "-c", "command -v promtool || true").isBlank());
    }

    /** {@code promtool check metrics} of {@code exposition}: exit 0 and no output when the format and names are right. */
    static Result checkMetrics(String exposition) {
        return run(exposition, "promtool", "check", "metrics");
    }

    static Result checkConfig(Path file) {
        return run("", "promtool", "check", "config", file.toString());
    }

    private static Result run(String input, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within 30 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
