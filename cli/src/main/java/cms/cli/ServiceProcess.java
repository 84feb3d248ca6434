package cms.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One CMS service in its own JVM (this process's class path), so that a test or {@code cms bench chaos} can
 * kill it with SIGKILL and start it again.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    /**
     * The line a {@code cms dev} prints last once it is ready (its "ready in N s" is no sign to wait for: "already in
     * use", in a warning that a port is taken, holds it).
     */
    static final String DEV_READY = "try: ./cloud pod ls";

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code cms <command>} and waits until its output contains {@code readyLine}. */
    static ServiceProcess start(Path dir, String command, Map<String, String> env, String readyLine) {
        return start(dir, List.of(command), env, readyLine);
    }

    /** Where a {@code cms dev} started in {@code dir} writes its client configuration. */
    static Path clientConfig(Path dir) {
        return dir.resolve("client.json");
    }

    /** The admin token a {@code cms dev} started in {@code dir} wrote to its client configuration. */
    static String devToken(Path dir) {
        return ClientConfig.read(clientConfig(dir)).map(ClientConfig.Entry::token)
                .orElseThrow(() -> new IllegalStateException("cms dev wrote no token to " + clientConfig(dir)));
    }

    /** Starts {@code cms <args…>} and waits until its output contains {@code readyLine}. */
    static ServiceProcess start(Path dir, List<String> args, Map<String, String> env, String readyLine) {
        return start(dir, List.of(), args, env, readyLine);
    }

    /**
     * Starts {@code cms <args…>} under a command that execs it (e.g. {@code ip netns exec NS}), so that the
     * process's pid is the JVM's, and waits until its output contains {@code readyLine}.
     */
    static ServiceProcess start(Path dir, List<String> prefix, List<String> args, Map<String, String> env,
                                String readyLine) {
        return start(dir, prefix, List.of(), args, env, readyLine);
    }

    /** As {@link #start(Path, List, List, Map, String)}, the JVM given {@code jvmOptions} (e.g. {@code -Xmx1g}). */
    static ServiceProcess start(Path dir, List<String> prefix, List<String> jvmOptions, List<String> args,
                                Map<String, String> env, String readyLine) {
        String command = args.get(0);
        Path log = dir.resolve(command + "-" + System.nanoTime() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> line = new java.util.ArrayList<>(prefix);
        line.add(java);
        line.addAll(jvmOptions);
        line.addAll(List.of("-cp", System.getProperty("java.class.path"), CmsMain.class.getName()));
        line.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(line);
        pb.environment().putAll(env);
        if (command.equals("dev") && !env.containsKey("CMS_CLIENT_CONFIG")) {
            // its client configuration (URL, admin token) in the run's folder, never the user's own
            pb.environment().put("CMS_CLIENT_CONFIG", clientConfig(dir).toString());
        }
        return launch(pb, log, command, readyLine);
    }

    /**
     * Starts {@code commandLine} as given (e.g. a systemd unit's ExecStart, under {@code ip netns exec}) in
     * {@code workDir} with exactly the environment {@code env}, nothing inherited, as systemd starts a unit;
     * waits until its output contains {@code readyLine}. Its output goes to {@code dir/<name>-….log}.
     */
    static ServiceProcess exec(Path dir, String name, List<String> commandLine, Path workDir, Map<String, String> env,
                               String readyLine) {
        ProcessBuilder pb = new ProcessBuilder(commandLine).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return launch(pb, dir.resolve(name + "-" + System.nanoTime() + ".log"), name, readyLine);
    }

    private static ServiceProcess launch(ProcessBuilder pb, Path log, String command, String readyLine) {
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        try {
            ServiceProcess p = new ServiceProcess(pb.start(), log);
            long deadline = System.nanoTime() + READY_WITHIN.toNanos();
            while (!p.output().contains(readyLine)) {
                if (!p.process.isAlive()) {
                    throw new IllegalStateException(command + " exited: " + p.output());
                }
                if (System.nanoTime() > deadline) {
                    p.close();
                    throw new IllegalStateException(command + " did not print '" + readyLine + "' within "
                            + READY_WITHIN.toSeconds() + " s; its log: " + log);
                }
                p.process.waitFor(50, TimeUnit.MILLISECONDS); // polling its log
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + command + " started", e);
        }
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The exit status once the process has ended by itself. */
    int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
