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
     * Stops the engine (SIGTERM, as a service manager does), waits until it is gone, starts it again with its
     * command and waits until it answers; records the new pid in the pid file. Returns when it answers.
     */
    Instant restart(Duration within) throws IOException, InterruptedException {
        ProcessHandle old = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("dockerd " + pid
                + " is gone"));
        sh(sudo + " kill -TERM " + pid);
        try {
            old.onExit().get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("dockerd " + pid + " did not stop within " + within.toSeconds() + " s");
        }
        String started = sh(sudo + " " + command + " >>" + log + " 2>&1 </dev/null & echo $!");
        long deadline = System.nanoTime() + within.toNanos();
        while (!answers()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("dockerd did not answer within " + within.toSeconds() + " s of its start");
            }
            Thread.sleep(100); // polling interval while the engine starts
        }
        Instant back = Instant.now();
        String now = Files.exists(DOCKERD_PID) ? Files.readString(DOCKERD_PID).strip() : started;
        Files.writeString(PID_FILE, "pid=" + now + "\ncommand=" + command + "\nlog=" + log + "\nsudo=" + sudo + "\n");
        return back;
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
