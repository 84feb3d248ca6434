package cms.cli;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.PodsRecord;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.model.Pod;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CMS on {@link TestHosts}: the broker ({@code cms kafka}) and the control plane ({@code cms dev --no-node-daemon}:
 * resource manager, balancer, elasticity, web) on the control address, every service in a process of its own,
 * and a {@code cms node-daemon} in each test host. The frontends listen on the control address and the
 * resource manager sends jobs there; nothing is on loopback but the API, which only the test calls.
 * {@link #close()} stops everything and deletes its directory, also after a failed test.
 */
final class HostsCluster implements AutoCloseable {

    /** Each test host's capacity: equal hosts, so that placement alone decides where nodes go. */
    static final Map<String, String> HOST_CAPACITY = Map.of("CMS_HOST_CPUS", "2", "CMS_HOST_MEMORY_MB", "4096",
            "JAVA_TOOL_OPTIONS", "-Xmx160m -XX:+UseSerialGC");

    final Path dir;
    final TestHosts hosts;
    final String bootstrap;
    final String api;
    final JsonHttp http;
    /** The admin token the control plane's cms dev made. */
    final String token;
    private final ServiceProcess broker;
    private final ServiceProcess control;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private HostsCluster(Path dir, TestHosts hosts, ServiceProcess broker, String bootstrap, ServiceProcess control,
                         String api) {
        this.dir = dir;
        this.hosts = hosts;
        this.broker = broker;
        this.bootstrap = bootstrap;
        this.control = control;
        this.api = api;
        this.token = ServiceProcess.devToken(dir);
        this.http = new JsonHttp(api, token);
    }

    /** {@code count} test hosts each with its daemon, and the control plane with {@code controlEnv} on top. */
    static HostsCluster start(int count, Map<String, String> controlEnv) throws IOException {
        Path dir = Files.createTempDirectory("cms-hosts-");
        TestHosts hosts = null;
        ServiceProcess broker = null;
        ServiceProcess control = null;
        try {
            hosts = TestHosts.create(count);
            String ctrl = hosts.controlAddress();
            int kafkaPort = BenchCommand.DevProcess.freePort();
            broker = ServiceProcess.start(dir, List.of("kafka", "--address", ctrl, "--port", String.valueOf(kafkaPort),
                    "--controller-port", String.valueOf(BenchCommand.DevProcess.freePort()), "--data-dir",
                    dir.resolve("kafka").toString()), Map.of(), "kafka: broker at");
            String bootstrap = ctrl + ":" + kafkaPort;
            int webPort = BenchCommand.DevProcess.freePort();
            // a generous admin timeout: the machine running the test may be busy, and a launch is not idempotent
            Map<String, String> env = new HashMap<>(Map.of("CMS_BALANCER_ADDRESS", ctrl, "CMS_RM_FRONTEND_HOST", ctrl,
                    "CMS_BALANCER_DIR", dir.resolve("balancer").toString(), "CMS_ADMIN_TIMEOUT_MS", "30000"));
            env.putAll(controlEnv);
            control = ServiceProcess.start(dir, List.of("dev", "--kafka", bootstrap, "--no-node-daemon", "--port",
                    String.valueOf(webPort), "--stop-nodes-on-exit"), env, ServiceProcess.DEV_READY);
            HostsCluster c = new HostsCluster(dir, hosts, broker, bootstrap, control, "http://127.0.0.1:" + webPort);
            for (TestHosts.Host h : hosts.hosts()) {
                hosts.startDaemon(h.id(), dir, bootstrap, HOST_CAPACITY);
            }
            for (TestHosts.Host h : hosts.hosts()) {
                c.awaitHostReady(h.id());
            }
            return c;
        } catch (RuntimeException | Error e) {
            closeAll(control, hosts, broker);
            delete(dir);
            throw e;
        }
    }

    /** The frontend of a pod: on the control address. */
    String frontend(int port) {
        return "http://" + hosts.controlAddress() + ":" + port;
    }

    /**
     * An admin call, sent again while it is answered 503 (the API says Kafka or the resource manager is away
     * for a moment, as it may on a loaded machine), for up to a minute. A 409 after a 503 is taken as done:
     * the request that timed out was applied.
     */
    JsonHttp.Response admin(String method, String path, String body) {
        List<JsonHttp.Response> answers = new ArrayList<>();
        Poll.within(Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
            answers.add(http.send(method, path, body));
            return answers.get(answers.size() - 1).status() != 503;
        });
        JsonHttp.Response r = answers.get(answers.size() - 1);
        boolean retried = answers.size() > 1;
        return retried && r.status() == 409 ? new JsonHttp.Response(200, r.body(), r.json(), r.headers()) : r;
    }

    /** Registers pod {@code name} (built-in workload {@code kind}) with its frontend on {@code port}. */
    void registerPod(String name, String kind, int port) {
        JsonHttp.Response r = admin("POST", "/api/pods", "{\"name\":\"" + name + "\",\"workload\":\"" + kind
                + "\",\"frontend_port\":" + port + "}");
        if (r.status() != 201 && r.status() != 200) {
            throw new AssertionError("pod " + name + " not registered: " + r);
        }
    }

    /** Registers node {@code pod}-{@code i} and launches it. */
    void launchNode(String pod, String node) {
        JsonHttp.Response reg = admin("POST", "/api/pods/" + pod + "/nodes", "{\"name\":\"" + node + "\"}");
        if (reg.status() >= 300) {
            throw new AssertionError("node " + node + " not registered: " + reg);
        }
        JsonHttp.Response launch = admin("POST", "/api/pods/" + pod + "/launch", null);
        if (launch.status() >= 300) {
            throw new AssertionError("node " + node + " not launched: " + launch);
        }
    }

    /**
     * Registers pod {@code pod} (light workload, frontend on {@code frontend}) with six nodes, waits until all
     * are ONLINE, and answers node → host (two on each of three equal hosts).
     */
    Map<String, String> sixNodes(String pod, int frontend) {
        return spread(pod, frontend, 6);
    }

    /**
     * Registers pod {@code pod} (light workload, frontend on {@code frontend}) with {@code count} nodes, waits
     * until all are ONLINE, and answers node → host (placement spreads them evenly over equal hosts).
     */
    Map<String, String> spread(String pod, int frontend, int count) {
        registerPod(pod, "light", frontend);
        for (int i = 1; i <= count; i++) {
            launchNode(pod, pod + "-" + i);
        }
        Poll.until(count + " nodes of " + pod + " ONLINE", Duration.ofSeconds(120), Duration.ofMillis(100),
                () -> onlineHosts(pod).size() == count);
        // ONLINE is the resource manager's word; HAProxy's own checks pass a moment later, and until one has, the
        // frontend answers 503 "no node in service" (a load started at once counted those as failures)
        try {
            BalancerBench.awaitServed(URI.create(frontend(frontend) + "/"), count);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the frontend of " + pod, e);
        } catch (Exception e) {
            throw new IllegalStateException("the frontend of " + pod + " did not serve its " + count + " nodes: " + e, e);
        }
        return onlineHosts(pod);
    }

    /**
     * Waits until the resource manager counts {@code host} READY: its daemon's start-up line says only that it
     * runs, while its join token is checked and it is admitted a moment later.
     */
    void awaitHostReady(String host) {
        Poll.until("host " + host + " READY", Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
            JsonHttp.Response r = http.get("/api/hosts?limit=1000");
            if (r.status() != 200 || r.data() == null) {
                return false;
            }
            for (JsonNode h : r.data()) {
                if (h.path("host_id").asText().equals(host) && h.path("state").asText().equals("READY")) {
                    return true;
                }
            }
            return false;
        });
    }

    /** Host id → whether the web's live view shows it LOST. */
    Map<String, Boolean> hostsLost() {
        JsonHttp.Response r = http.get("/api/live");
        Map<String, Boolean> out = new HashMap<>();
        if (r.status() == 200 && r.data() != null) {
            r.data().path("hosts").forEach(h -> out.put(h.path("host_id").asText(), h.path("lost").asBoolean()));
        }
        return out;
    }

    /** The nodes of a pod as the API shows them. */
    List<JsonNode> nodes(String pod) {
        JsonHttp.Response r = admin("GET", "/api/pods/" + pod + "/nodes?limit=1000", null);
        List<JsonNode> out = new ArrayList<>();
        if (r.status() != 200 || r.data() == null) {
            throw new AssertionError("nodes of " + pod + ": " + r);
        }
        r.data().forEach(out::add);
        return out;
    }

    /** Node name → host id of the ONLINE nodes of a pod. */
    Map<String, String> onlineHosts(String pod) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode n : nodes(pod)) {
            if ("ONLINE".equals(n.path("state").asText())) {
                out.put(n.path("name").asText(), n.path("host_id").asText());
            }
        }
        return out;
    }

    /** One snapshot of a pod on the {@code pods} topic, with the resource manager's time of it. */
    record Snapshot(Instant at, Pod pod) {
    }

    /** Every snapshot of pod {@code pod} on the {@code pods} topic so far, in order. */
    List<Snapshot> podHistory(String pod) {
        EventCodec codec = new EventCodec();
        List<Snapshot> out = new ArrayList<>();
        CompactedTopicReader.readAll(new KafkaSettings(bootstrap), "it-pods-history", Topics.PODS,
                Duration.ofSeconds(60), r -> {
                    if (!pod.equals(r.key()) || r.value() == null) {
                        return;
                    }
                    try {
                        if (codec.decode(r.value(), PodsRecord.class) instanceof PodsRecord.PodSnapshot snap) {
                            out.add(new Snapshot(snap.at(), snap.pod()));
                        }
                    } catch (UndecodableRecordException e) {
                        throw new AssertionError("unreadable pods record: " + e.getMessage());
                    }
                });
        return out;
    }

    /** The resource manager's {@code HostLost} records of {@code host}, oldest first (when and why). */
    List<cms.core.event.HostEvent.HostLost> hostLosses(String host) {
        EventCodec codec = new EventCodec();
        List<cms.core.event.HostEvent.HostLost> out = new ArrayList<>();
        CompactedTopicReader.readAll(new KafkaSettings(bootstrap), "it-host-losses", Topics.HOST_EVENTS,
                Duration.ofSeconds(60), r -> {
                    if (!host.equals(r.key()) || r.value() == null) {
                        return;
                    }
                    try {
                        if (codec.decode(r.value(), cms.core.event.HostEvent.class)
                                instanceof cms.core.event.HostEvent.HostLost lost) {
                            out.add(lost);
                        }
                    } catch (UndecodableRecordException e) {
                        throw new AssertionError("unreadable host-events record: " + e.getMessage());
                    }
                });
        return out;
    }

    /** A file of the cluster's directory, e.g. a service's log, for a failure message. */
    String logs() {
        return "control plane:\n" + tail(control.output()) + "\nbroker:\n" + tail(broker.output());
    }

    private static String tail(String s) {
        return s.length() <= 6000 ? s : s.substring(s.length() - 6000);
    }

    <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    @Override
    public void close() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            closeAll(toClose.get(i));
        }
        closeAll(control, hosts, broker);
        delete(dir);
    }

    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("clean-up: " + e);
            }
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("clean-up of " + dir + ": " + e);
        }
    }
}
