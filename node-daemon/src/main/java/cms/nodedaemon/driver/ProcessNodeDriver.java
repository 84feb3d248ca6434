package cms.nodedaemon.driver;

import cms.nodedaemon.workload.DemoWorkload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes as local OS processes, for hosts without a Docker engine: each node is a JVM running the
 * built-in workload on its own port. A state file per node ({@code <dir>/<node>.properties}: pid, pod,
 * port) lets a restarted daemon find its nodes again; the process's environment must still name the
 * node, so a reused pid is never mistaken for it. CPU and memory come from /proc; limits from cgroups
 * where the machine allows it.
 */
public final class ProcessNodeDriver implements NodeDriver {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessNodeDriver.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final String publishAddress;
    private final NodePorts ports;
    private final String classPath;
    private final ProcessLimits limits = new ProcessLimits();
    private final ProcUsage proc = new ProcUsage();
    private final Map<String, Process> children = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public ProcessNodeDriver(Path dir, String publishAddress, NodePorts ports, String classPath) {
        this.dir = dir;
        this.publishAddress = publishAddress;
        this.ports = ports;
        this.classPath = classPath;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the node directory " + dir, e);
        }
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public RunningNode start(NodeSpec spec) throws NodeStartException {
        Optional<RunningNode> existing = read(spec.node());
        if (existing.isPresent() && existing.get().running()) {
            return existing.get();
        }
        if (!spec.workload().isBuiltin()) {
            throw new NodeStartException("image " + spec.workload().image() + " needs Docker; this host runs "
                    + "nodes as local processes (no Docker engine reachable)");
        }
        Integer port;
        try {
            port = ports.next(spec.node());
        } catch (IllegalStateException e) {
            throw new NodeStartException(e.getMessage(), e);
        }
        Path log = dir.resolve(spec.node() + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx48m", "-Xss256k",
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-cp", classPath, DemoWorkload.class.getName());
        pb.environment().putAll(Map.of("NODE_NAME", spec.node(), "WORKLOAD_KIND", spec.workload().builtin(),
                "PORT", String.valueOf(port == null ? 0 : port), "BIND", publishAddress, "CMS_POD", spec.pod()));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            ports.release(spec.node());
            throw new NodeStartException("cannot start a process: " + e.getMessage(), e);
        }
        int bound = awaitListening(spec, p, log, port);
        limits.apply(spec.node(), p.pid(), spec.cpuLimit(), spec.memoryMb());
        write(spec, p.pid(), bound);
        children.put(spec.node(), p);
        p.onExit().thenRun(() -> listeners.forEach(Runnable::run));
        LOG.info("node={} pod={} process {} listening on {}:{}", spec.node(), spec.pod(), p.pid(), publishAddress,
                bound);
        return read(spec.node()).orElseThrow(() -> new NodeStartException("process of " + spec.node()
                + " vanished right after it started"));
    }

    private int awaitListening(NodeSpec spec, Process p, Path log, Integer port) throws NodeStartException {
        String prefix = DemoWorkload.READY_PREFIX + spec.node() + " listening on ";
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                String out = Files.exists(log) ? Files.readString(log) : "";
                int at = out.indexOf(prefix);
                if (at >= 0) {
                    String rest = out.substring(at + prefix.length()).lines().findFirst().orElse("");
                    return Integer.parseInt(rest.substring(rest.lastIndexOf(':') + 1).trim());
                }
                if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                    ports.release(spec.node());
                    String all = Files.exists(log) ? Files.readString(log) : "";
                    throw new NodeStartException(exitReason(all, port, p.exitValue()));
                }
            }
        } catch (IOException e) {
            throw new NodeStartException("cannot read the node's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeStartException("interrupted while the node started", e);
        }
        p.destroyForcibly();
        ports.release(spec.node());
        throw new NodeStartException("the workload did not listen within " + READY_TIMEOUT.toSeconds() + " s");
    }

    private String exitReason(String output, Integer port, int code) {
        if (output.contains("BindException") || output.contains("Address already in use")) {
            return "port " + publishAddress + ":" + port + " is already in use";
        }
        String last = output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
        return "the workload exited with code " + code + " before it listened: " + last;
    }

    @Override
    public void stop(String node, Duration grace) {
        Optional<Long> pid = pidOf(node);
        pid.flatMap(ProcessHandle::of).filter(h -> isNode(h.pid(), node)).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        children.remove(node);
        limits.remove(node);
        ports.release(node);
        proc.forget(node);
        try {
            Files.deleteIfExists(dir.resolve(node + ".properties"));
            Files.deleteIfExists(dir.resolve(node + ".log"));
        } catch (IOException e) {
            LOG.warn("node={} files not removed: {}", node, e.toString());
        }
    }

    @Override
    public List<RunningNode> list() {
        List<RunningNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".properties")).toList()) {
                String node = f.getFileName().toString().replace(".properties", "");
                read(node).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private Optional<RunningNode> read(String node) {
        Path f = dir.resolve(node + ".properties");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            props.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        long pid = Long.parseLong(props.getProperty("pid"));
        double cpu = Double.parseDouble(props.getProperty("cpu"));
        int port = Integer.parseInt(props.getProperty("port"));
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && isNode(pid, node);
        ports.claim(node, port);
        Integer exit = null;
        Process child = children.get(node);
        if (!alive && child != null && !child.isAlive()) {
            exit = child.exitValue();
        }
        return Optional.of(new RunningNode(node, props.getProperty("pod"), String.valueOf(pid), alive,
                publishAddress, port, exit, false, cpu));
    }

    private void write(NodeSpec spec, long pid, int port) throws NodeStartException {
        Properties props = new Properties();
        props.setProperty("pid", String.valueOf(pid));
        props.setProperty("pod", spec.pod());
        props.setProperty("port", String.valueOf(port));
        props.setProperty("cpu", String.valueOf(spec.cpuLimit()));
        try (OutputStream out = Files.newOutputStream(dir.resolve(spec.node() + ".properties"))) {
            props.store(out, "CMS process node");
        } catch (IOException e) {
            throw new NodeStartException("cannot record the node's process: " + e.getMessage(), e);
        }
    }

    private Optional<Long> pidOf(String node) {
        return read(node).map(r -> Long.parseLong(r.driverId()));
    }

    /** The process's environment names this node: guards against a pid reused by another process. */
    private static boolean isNode(long pid, String node) {
        try {
            byte[] env = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ"));
            return new String(env, StandardCharsets.UTF_8).contains("NODE_NAME=" + node + "\0");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Optional<NodeUsage> usage(String node) {
        return read(node).filter(RunningNode::running)
                .flatMap(r -> proc.sample(node, Long.parseLong(r.driverId()), r.cpuLimit()));
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        children.clear();
    }
}
