package cms.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the operator installs from {@code deploy/}, read as systemd reads it: a unit's {@code EnvironmentFile=}
 * and {@code ExecStart=} lines, and environment files ({@code KEY=VALUE}, {@code #} comments, a value in
 * quotes kept whole). The subset of systemd's syntax that deploy/ uses; anything else in a line it reads fails.
 */
final class DeployUnits {

    /** The repository's deploy/ directory (tests run in the cli module). */
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    /** Where the units find their environment files on a machine. */
    static final String ETC = "/etc/cms/";

    private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Z0-9_]+)}");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)");

    private DeployUnits() {
    }

    /** One unit: its environment files (paths on the machine) and its ExecStart, as words. */
    record Unit(String name, List<String> environmentFiles, List<String> execStart, String workingDirectory) {
    }

    /** The unit file {@code deploy/systemd/<name>.service}. */
    static Unit unit(String name) {
        List<String> envFiles = new ArrayList<>();
        List<String> exec = null;
        String workDir = null;
        for (String line : lines(DEPLOY.resolve("systemd").resolve(name + ".service"))) {
            if (line.startsWith("EnvironmentFile=")) {
                envFiles.add(line.substring("EnvironmentFile=".length()).trim());
            } else if (line.startsWith("ExecStart=")) {
                exec = Arrays.asList(line.substring("ExecStart=".length()).trim().split("\\s+"));
            } else if (line.startsWith("WorkingDirectory=")) {
                workDir = line.substring("WorkingDirectory=".length()).trim();
            }
        }
        if (exec == null) {
            throw new IllegalStateException(name + ".service has no ExecStart");
        }
        return new Unit(name, List.copyOf(envFiles), List.copyOf(exec), workDir);
    }

    /** An environment file: its variables in order. */
    static Map<String, String> environment(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(file)) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            Matcher m = ASSIGNMENT.matcher(l);
            if (!m.matches()) {
                throw new IllegalStateException(file + ": not KEY=VALUE: " + line);
            }
            String v = m.group(2).trim();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            out.put(m.group(1), v);
        }
        return out;
    }

    /**
     * ExecStart's words with the environment put in, as systemd does: {@code $NAME} alone becomes the value's
     * words (none when unset or empty), {@code ${NAME}} becomes the value as it is, within one word.
     */
    static List<String> expand(List<String> words, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (w.matches("\\$[A-Z0-9_]+")) {
                String v = env.getOrDefault(w.substring(1), "").trim();
                if (!v.isEmpty()) {
                    out.addAll(Arrays.asList(v.split("\\s+")));
                }
            } else {
                Matcher m = BRACED.matcher(w);
                StringBuilder b = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(b, Matcher.quoteReplacement(env.getOrDefault(m.group(1), "")));
                }
                m.appendTail(b);
                out.add(b.toString());
            }
        }
        return out;
    }

    /** The names of the variables that ExecStart's words use. */
    static List<String> variables(List<String> words) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (w.matches("\\$[A-Z0-9_]+")) {
                out.add(w.substring(1));
            }
            Matcher m = BRACED.matcher(w);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
