package cms.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * The Docker engine that {@code test.sh} started, as its pid file ({@code ${TMPDIR:-/tmp}/cms-dockerd.pid}:
 * pid, command, log, sudo) records it; a test may restart exactly that process, the same way. An engine
 * started by someone else (systemd) has no such file, and is never touched.
 */
final class OwnDockerEngine {

    static final Path PID_FILE = Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp"), "cms-dockerd.pid");
    private static final Path DOCKERD_PID = Path.of("/var/run/docker.pid");

    private final long pid;
    private final String command;
    private final String log;
    private final String sudo;

    private OwnDockerEngine(long pid, String command, String log, String sudo) {
        this.pid = pid;
        this.command = command;
        this.log = log;
        this.sudo = sudo;
    }

    /** The engine of the pid file, if the file exists and its pid is a running dockerd. */
    static Optional<OwnDockerEngine> find() throws IOException {
        if (!Files.exists(PID_FILE)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(PID_FILE)) {
            p.load(in);
        }
        long pid = Long.parseLong(p.getProperty("pid", "-1").strip());
        boolean dockerd = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().command()).map(c -> c.endsWith("/dockerd") || c.equals("dockerd")).orElse(false);
        return dockerd ? Optional.of(new OwnDockerEngine(pid, p.getProperty("command"), p.getProperty("log"),
                p.getProperty("sudo", "").strip())) : Optional.empty();
    }

    long pid() {
        return pid;
    }

    /**
     * Stops the engine as a service manager does (SIGTERM; SIGKILL when it has not ended within {@code within},
     * as systemd does after its stop timeout), starts it again with its command and waits until it answers;
     * records the new pid in the pid file. Returns when it answers. Every phase is printed with its time, so a
     * failure says which one took too long.
     */
    Instant restart(Duration within) throws IOException, InterruptedException {
        ProcessHandle old = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("dockerd " + pid
                + " is gone"));
        long t0 = System.nanoTime();
        sh(sudo + " kill -TERM " + pid);
        if (!ended(old, within)) {
            System.out.printf("dockerd %d still running %d s after SIGTERM; sending SIGKILL%n", pid, within.toSeconds());
            sh(sudo + " kill -KILL " + pid);
            if (!ended(old, Duration.ofSeconds(10))) {
                throw new IOException("dockerd " + pid + " did not end within " + within.toSeconds()
                        + " s of SIGTERM nor 10 s of SIGKILL");
            }
        }
        long t1 = System.nanoTime();
        String started = startAgain(within);
        Instant back = Instant.now();
        System.out.printf("dockerd %d stopped in %d ms; dockerd %s answering %d ms after its start%n", pid,
                (t1 - t0) / 1_000_000, started, (System.nanoTime() - t1) / 1_000_000);
        String now = Files.exists(DOCKERD_PID) ? Files.readString(DOCKERD_PID).strip() : started;
        Files.writeString(PID_FILE, "pid=" + now + "\ncommand=" + command + "\nlog=" + log + "\nsudo=" + sudo + "\n");
        return back;
    }

    /** Starts the engine with its command (once more if the first one exits) and waits until it answers. */
    private String startAgain(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String started = sh(sudo + " " + command + " >>" + log + " 2>&1 </dev/null & echo $!");
        boolean retried = false;
        while (!answers()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("dockerd (started as " + started + ") did not answer within " + within.toSeconds()
                        + " s of its start; the end of " + log + ": " + tail());
            }
            if (!retried && !alive(started) && !alive(Files.exists(DOCKERD_PID) ? Files.readString(DOCKERD_PID).strip() : "")) {
                System.out.printf("dockerd %s exited at start; starting it once more (log: %s)%n", started, tail());
                started = sh(sudo + " " + command + " >>" + log + " 2>&1 </dev/null & echo $!");
                retried = true;
            }
            Thread.sleep(100); // polling interval while the engine starts
        }
        return started;
    }

    /**
     * Whether the process ended within {@code within}. A process that has ended but whose parent has not reaped
     * it yet (a zombie: an engine started by a script that is still running, e.g. test.sh waiting for Maven)
     * counts as ended, though {@link ProcessHandle#isAlive()} says it is alive.
     */
    private static boolean ended(ProcessHandle process, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (process.isAlive() && !zombie(process.pid())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100); // polling interval while the engine stops
        }
        return true;
    }

    /** Whether /proc says the process is a zombie (state Z, or X: being removed). */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 1).strip();
            return afterName.startsWith("Z") || afterName.startsWith("X");
        } catch (IOException | RuntimeException e) {
            return false; // no /proc entry: isAlive() tells
        }
    }

    private static boolean alive(String pid) {
        try {
            long id = Long.parseLong(pid.strip());
            return ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false) && !zombie(id);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The last lines of the engine's log, on one line, for an error message. */
    private String tail() {
        try {
            java.util.List<String> lines = Files.readAllLines(Path.of(log));
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    static boolean answers() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("docker", "version", "--format", "{{.Server.Version}}")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("'" + script + "' failed: " + out);
        }
        return out;
    }
}
