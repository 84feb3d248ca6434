package cms.cli;

import cms.core.kafka.KafkaSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The CMS of {@code cms bench chaos}: the development broker ({@code cms kafka}) and each service in a
 * process of its own, on free loopback ports, all files in one temporary directory, nodes on host
 * {@value #HOST} by the chosen driver, HAProxy frontends. The bench is the processes' supervisor: it kills
 * and starts them, and {@link #supervise} starts again (and notes) any that ended without being killed.
 * {@link #close} removes the pod, stops every process and deletes every file and container it made.
 */
final class ChaosCluster implements AutoCloseable {

    static final String HOST = "chaos-host";

    /** The processes, in the order they start; each with its command and the line it prints when ready. */
    enum Role {
        KAFKA("kafka", "kafka: broker at"), RM("rm", "resource manager: ready"),
        BALANCER("balancer", "balancer: haproxy ready"), ELASTICITY("elasticity", "elasticity: ready"),
        DAEMON("node-daemon", "node daemon: host"), WEB("web", "CMS API:");

        final String command;
        final String readyLine;

        Role(String command, String readyLine) {
            this.command = command;
            this.readyLine = readyLine;
        }
    }

    final Path dir;
    final String driver;
    final String bootstrap;
    final String api;
    /** The admin token of the bench, stored on the broker's tokens topic before the services start. */
    String token;
    private final int kafkaPort;
    private final int controllerPort;
    private final Map<String, String> env;
    private final Map<Role, ServiceProcess> processes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<Role> keptDown = EnumSet.noneOf(Role.class);
    private final List<String> restarts = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper = new ObjectMapper();

    private ChaosCluster(Path dir, String driver) throws IOException {
        this.dir = dir;
        this.driver = driver;
        this.kafkaPort = BenchCommand.DevProcess.freePort();
        this.controllerPort = BenchCommand.DevProcess.freePort();
        int webPort = BenchCommand.DevProcess.freePort();
        this.bootstrap = "127.0.0.1:" + kafkaPort;
        this.api = "http://127.0.0.1:" + webPort;
        this.env = Map.of("CMS_KAFKA", bootstrap, "CMS_WEB_PORT", String.valueOf(webPort), "CMS_NODE_DRIVER", driver,
                "CMS_HOST_ID", HOST, "CMS_NODE_DIR", dir.resolve("nodes").toString(), "CMS_BALANCER", "haproxy",
                "CMS_BALANCER_DIR", dir.resolve("balancer").toString(),
                // the daemon is killed and started again throughout: its host is trusted, as cms dev's own
                "CMS_RM_TRUSTED_HOSTS", HOST);
    }

    /** Starts the broker and every service, one after another, each once it printed its ready line. */
    static ChaosCluster start(String driver) throws IOException {
        ChaosCluster cluster = new ChaosCluster(Files.createTempDirectory("cms-chaos-"), driver);
        try {
            for (Role r : Role.values()) {
                cluster.start(r);
                if (r == Role.KAFKA) {
                    cluster.token = InstallTokens.store(new KafkaSettings(cluster.bootstrap), "chaos-bench",
                            cms.core.auth.Role.ADMIN).text();
                }
            }
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    void start(Role role) {
        List<String> args = role == Role.KAFKA ? List.of("kafka", "--port", String.valueOf(kafkaPort),
                "--controller-port", String.valueOf(controllerPort), "--data-dir", dir.resolve("kafka").toString())
                : List.of(role.command);
        processes.put(role, ServiceProcess.start(dir, args, env, role.readyLine));
        keptDown.remove(role);
    }

    /** SIGKILL; the supervisor leaves it down until {@link #start} is called. */
    void kill(Role role) throws InterruptedException {
        keptDown.add(role);
        processes.get(role).kill();
    }

    /** The pids of the processes running now, by role. */
    Map<String, Long> pids() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Role role : Role.values()) {
            ServiceProcess p = processes.get(role);
            if (p != null && p.alive()) {
                out.put(role.command, p.pid());
            }
        }
        return out;
    }

    static List<String> roleNames() {
        return Stream.of(Role.values()).map(r -> r.command).toList();
    }

    /**
     * Starts again, as systemd would, every process that ended without the bench killing it; notes each. While
     * the broker is kept down nothing is started (a service waits for Kafka to become ready).
     */
    void supervise() {
        if (keptDown.contains(Role.KAFKA)) {
            return;
        }
        for (Role role : Role.values()) {
            ServiceProcess p = processes.get(role);
            if (p != null && !keptDown.contains(role) && !p.alive()) {
                restarts.add(role.command + " exited " + p.exitValue());
                try {
                    start(role);
                } catch (IllegalStateException e) {
                    restarts.add(role.command + " did not start again: " + e.getMessage().lines().findFirst()
                            .orElse(""));
                }
            }
        }
    }

    /** Restarts every service but the broker, as an operator would when the system does not come back. */
    void restartAllByHand(String why) throws InterruptedException {
        restarts.add("all services by hand (" + why + ")");
        for (Role role : Role.values()) {
            if (role != Role.KAFKA) {
                processes.get(role).kill();
                start(role);
            }
        }
    }

    /** The restarts noted since the last call, which forgets them. */
    List<String> takeRestarts() {
        List<String> out = List.copyOf(restarts);
        restarts.clear();
        return out;
    }

    /** The API answers health 200, the pod has {@code size} ONLINE nodes and its frontend serves. */
    boolean converged(String pod, int size, URI frontend) {
        if (status(URI.create(api + "/api/health")) != 200 || status(frontend.resolve("/health")) != 200) {
            return false;
        }
        try {
            HttpResponse<String> r = http.send(get(URI.create(api + "/api/pods/" + pod), token),
                    HttpResponse.BodyHandlers.ofString());
            int online = 0;
            for (JsonNode n : mapper.readTree(r.body()).path("data").path("nodes")) {
                online += n.path("state").asText().equals("ONLINE") ? 1 : 0;
            }
            return r.statusCode() == 200 && online == size;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int status(URI uri) {
        try {
            return http.send(get(uri, null), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpRequest get(URI uri, String token) {
        return BenchApi.request(uri, token).timeout(Duration.ofSeconds(3)).GET().build();
    }

    /** SIGKILLs the HAProxy processes of this cluster's frontends; returns how many. */
    int killHaproxy() {
        List<ProcessHandle> found = haproxies();
        found.forEach(ProcessHandle::destroyForcibly);
        return found.size();
    }

    private List<ProcessHandle> haproxies() {
        String balancerDir = dir.resolve("balancer").toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine()
                .map(c -> c.contains("haproxy") && c.contains(balancerDir)).orElse(false)).toList();
    }

    /** Kills a node behind CMS's back: {@code docker kill} of its container, or SIGKILL of its process. */
    void killNode(String node) throws IOException, InterruptedException {
        if (driver.equals("docker")) {
            String id = exec("docker", "ps", "-q", "--filter", "label=cms.host=" + HOST, "--filter", "label=cms.node="
                    + node);
            if (id.isBlank()) {
                throw new IllegalStateException("no container of node " + node);
            }
            exec("docker", "kill", id.strip());
        } else {
            long pid = processNodePid(dir.resolve("nodes").resolve(node + ".properties"));
            ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("node " + node + " has no process "
                    + pid)).destroyForcibly();
        }
    }

    private static long processNodePid(Path state) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(state)) {
            p.load(in);
        }
        return Long.parseLong(p.getProperty("pid"));
    }

    static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }

    /** Removes the pod (its nodes and frontend), stops every process, then anything left over, and the files. */
    @Override
    public void close() {
        try {
            supervise();
            new BenchApi(api, token).delete("/api/pods/" + ChaosBench.POD + "?force=true");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && (!leftoverNodes().isEmpty() || !haproxies().isEmpty())) {
                Thread.sleep(200); // polling while the daemon stops the nodes and the balancer its frontend
            }
        } catch (Exception e) {
            System.err.println("chaos: removing the pod through the API failed (" + e + "); removing what is left");
        }
        List<Role> order = new ArrayList<>(List.of(Role.values()));
        order.sort(Comparator.comparing(Role::ordinal).reversed());
        for (Role role : order) {
            ServiceProcess p = processes.get(role);
            if (p != null) {
                p.close();
            }
        }
        removeLeftovers();
    }

    private List<String> leftoverNodes() throws IOException, InterruptedException {
        if (driver.equals("docker")) {
            String ids = exec("docker", "ps", "-aq", "--filter", "label=cms.host=" + HOST).strip();
            return ids.isEmpty() ? List.of() : List.of(ids.split("\\s+"));
        }
        Path nodes = dir.resolve("nodes");
        if (!Files.isDirectory(nodes)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(nodes)) {
            return files.map(Path::toString).filter(f -> f.endsWith(".properties")).toList();
        }
    }

    private void removeLeftovers() {
        try {
            for (String left : leftoverNodes()) {
                if (driver.equals("docker")) {
                    exec("docker", "rm", "-f", left);
                } else {
                    ProcessHandle.of(processNodePid(Path.of(left))).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            haproxies().forEach(ProcessHandle::destroyForcibly);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException e) {
            System.err.println("chaos: cleaning up " + dir + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
