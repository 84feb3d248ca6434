package cms.cli;

import cms.core.auth.Role;
import cms.core.kafka.KafkaSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code cms bench scale}: the control plane with many hosts. A real broker ({@code cms kafka}), the real
 * resource manager and web API, each in a process of its own with its heap stated, and {@link FakeHosts}:
 * hosts that heartbeat at the daemons' interval and answer the resource manager's commands with node events.
 * The bench registers {@code pods} pods and places {@code nodes} nodes over them through the admin API as
 * {@code cloud register} and {@code cloud launch} do ({@value #CLIENTS} clients at a time), then holds the
 * load (every host heartbeating) for {@code seconds}, then lets 1 % of the hosts die at once. Meanwhile it
 * times admin requests ({@code GET /api/pods}, a pod's node list, {@code GET /api/live} which {@code cloud
 * host ls} reads) one at a time, four rounds a second. It reports the resource manager's decisions (commands)
 * per second, the time to place every node, the admin latency per phase, the resource manager's heap after a
 * full GC and each process's RSS, and the host loss: → LOST, and → every node of the dead hosts ONLINE
 * elsewhere.
 */
final class ScaleBench {

    static final int CLIENTS = 32;
    static final String RM_HEAP = "-Xmx1g";
    static final double ADMIN_P99_GOAL_MS = 100;
    static final long HEAP_GOAL_MB = 512;
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration HEALTH_CHECK = Duration.ofMillis(200);
    private static final Duration PLACE_WITHIN = Duration.ofMinutes(60);
    private static final Duration REPLACE_WITHIN = Duration.ofMinutes(2);

    /** What one run measured. */
    record Result(int hosts, int nodes, int pods, double placeSeconds, double commandsPerSecond, int peakCommands,
                  String placingLatency, String steadyLatency, List<Double> steadyMillis, int steadyFailed,
                  long rmHeapMb, Map<String, Long> rssMb, int deadHosts, int movedNodes, double lostSeconds,
                  double replacedSeconds, long onlineInApi, String load) {

        double steadyP99() {
            return steadyMillis.isEmpty() ? Double.NaN : BenchCommand.percentile(steadyMillis, 99);
        }

        boolean goalsMet() {
            return onlineInApi == nodes && steadyFailed == 0 && steadyP99() <= ADMIN_P99_GOAL_MS && rmHeapMb >= 0
                    && rmHeapMb <= HEAP_GOAL_MB;
        }
    }

    private final PrintStream out;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ScaleBench(PrintStream out) {
        this.out = out;
    }

    int run(int hosts, int nodes, int seconds, int pods) throws Exception {
        Result r = measure(hosts, nodes, seconds, pods);
        print(r);
        return r.goalsMet() ? 0 : 1;
    }

    Result measure(int hosts, int nodes, int seconds, int pods) throws Exception {
        if (hosts < 1 || pods < 1 || nodes < pods || nodes % pods != 0) {
            throw new IllegalArgumentException("--nodes must be a multiple of --pods, both at least 1, and --hosts "
                    + "at least 1");
        }
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        Path dir = Files.createTempDirectory("cms-scale-");
        List<ServiceProcess> processes = new ArrayList<>();
        try {
            int kafkaPort = BenchCommand.DevProcess.freePort();
            int webPort = BenchCommand.DevProcess.freePort();
            String bootstrap = "127.0.0.1:" + kafkaPort;
            String api = "http://127.0.0.1:" + webPort;
            // the fake hosts join without join tokens: host admission is open, as for a cluster whose Kafka ACLs
            // let only daemons write host-events (1 000 tokens would measure the token book, not the control plane)
            Map<String, String> env = Map.of("CMS_KAFKA", bootstrap, "CMS_WEB_PORT", String.valueOf(webPort),
                    "CMS_RM_HOST_ADMISSION", "open");
            processes.add(ServiceProcess.start(dir, List.of(), List.of("-Xmx1g"), List.of("kafka", "--port",
                    String.valueOf(kafkaPort), "--controller-port", String.valueOf(BenchCommand.DevProcess.freePort()),
                    "--data-dir", dir.resolve("kafka").toString()), env, "kafka: broker at"));
            String token = InstallTokens.store(new KafkaSettings(bootstrap), "scale-bench", Role.ADMIN).text();
            processes.add(ServiceProcess.start(dir, List.of(), List.of(RM_HEAP), List.of("rm"), env,
                    "resource manager: ready"));
            processes.add(ServiceProcess.start(dir, List.of(), List.of("-Xmx1g"), List.of("web"), env, "CMS API:"));
            out.printf(Locale.ROOT, "scale: broker, resource manager (%s) and web (-Xmx1g) in processes of their own, "
                    + "files in %s; %d fake hosts, %d nodes in %d pods%n", RM_HEAP, dir, hosts, nodes, pods);
            try (FakeHosts fakes = new FakeHosts(bootstrap, hosts, HEARTBEAT, HEALTH_CHECK).start()) {
                awaitHosts(api, token, hosts);
                return measure(api, token, fakes, processes, nodes, seconds, pods);
            }
        } catch (Exception | Error e) {
            for (ServiceProcess p : processes) {
                String log = p.output();
                out.println("--- end of a log of this run:\n" + log.substring(Math.max(0, log.length() - 3000)));
            }
            throw e;
        } finally {
            for (int i = processes.size() - 1; i >= 0; i--) {
                processes.get(i).close();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private Result measure(String api, String token, FakeHosts fakes, List<ServiceProcess> processes, int nodes,
                           int seconds, int pods) throws Exception {
        List<String> podNames = new ArrayList<>();
        for (int p = 1; p <= pods; p++) {
            podNames.add(String.format("s%03d", p));
        }
        try (AdminLatency latency = new AdminLatency(api, token, List.of("/api/pods", "/api/pods/" + podNames.get(0)
                + "/nodes", "/api/live"), Duration.ofMillis(250))) {
            latency.phase("placing");
            long commandsBefore = fakes.commands();
            long t0 = System.nanoTime();
            place(api, token, podNames, nodes / pods);
            awaitTrue(() -> fakes.online().size() >= nodes, PLACE_WITHIN, "every node ONLINE");
            double placeSeconds = (System.nanoTime() - t0) / 1e9;
            double perSecond = (fakes.commands() - commandsBefore) / placeSeconds;
            out.printf(Locale.ROOT, "placed %d nodes on %d hosts in %.1f s (%.0f commands/s); load average %s%n",
                    nodes, fakes.hosts().size(), placeSeconds, perSecond, loadAverage());

            latency.phase("steady");
            long beatsBefore = fakes.heartbeats();
            Thread.sleep(seconds * 1000L); // the length of the steady phase, not a wait for a condition
            out.printf(Locale.ROOT, "steady %d s: %d heartbeats sent; admin %s; load average %s%n", seconds,
                    fakes.heartbeats() - beatsBefore, latency.summary("steady"), loadAverage());
            for (String phase : List.of("placing", "steady")) {
                for (String path : latency.paths()) {
                    out.printf(Locale.ROOT, "  %s GET %s: %s%n", phase, path, latency.summary(phase + " " + path));
                }
            }
            latency.phase("memory");
            long heap = JvmMemory.heapAfterFullGcMb(processes.get(1).pid());
            Map<String, Long> rss = new java.util.LinkedHashMap<>();
            List<String> roles = List.of("kafka", "rm", "web");
            for (int i = 0; i < roles.size(); i++) {
                rss.put(roles.get(i), JvmMemory.rssMb(processes.get(i).pid()));
            }
            rss.put("bench", JvmMemory.rssMb(ProcessHandle.current().pid()));

            latency.phase("storm");
            double[] storm = hostLoss(fakes, Math.max(1, fakes.hosts().size() / 100));
            int dead = Math.max(1, fakes.hosts().size() / 100);
            latency.phase("end");
            long inApi = onlineInApi(api, token);
            return new Result(fakes.hosts().size(), nodes, pods, placeSeconds, perSecond, fakes.peakCommandsPerSecond(),
                    latency.summary("placing"), latency.summary("steady"), latency.times("steady"),
                    latency.failed("steady"), heap, rss, dead, (int) storm[2], storm[0], storm[1], inApi,
                    loadAverage());
        }
    }

    /** Waits until the web's live view shows every host (so the resource manager has heard them too). */
    private void awaitHosts(String api, String token, int hosts) throws Exception {
        awaitTrue(() -> {
            JsonNode live = getJson(api + "/api/live", token);
            return live != null && live.path("data").path("hosts").size() + live.path("hosts").size() >= hosts;
        }, Duration.ofSeconds(60), hosts + " hosts in the live view");
    }

    /** Registers each pod and its nodes and launches them, {@value #CLIENTS} clients at a time (one pod each). */
    private void place(String api, String token, List<String> podNames, int perPod) throws Exception {
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(podNames);
        AtomicInteger retries = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    BenchApi client = new BenchApi(api, token);
                    for (String pod = queue.poll(); pod != null; pod = queue.poll()) {
                        expect(client, "/api/pods", Map.of("name", pod, "workload", "light", "cpu", 0.1, "memory_mb",
                                64, "node_limit", perPod), 201, retries);
                        for (int n = 1; n <= perPod; n++) {
                            expect(client, "/api/pods/" + pod + "/nodes", Map.of("name", pod + "-" + n), 201, retries);
                            expect(client, "/api/pods/" + pod + "/launch", Map.of(), 202, retries);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        if (retries.get() > 0) {
            out.println("placement: " + retries.get() + " admin request(s) retried after 503");
        }
    }

    /**
     * POSTs until the answer is {@code status}; a 503 (the resource manager did not answer in time) is tried again,
     * and then a 409 means the first try was applied after all.
     */
    private static void expect(BenchApi client, String path, Map<String, ?> body, int status, AtomicInteger retries)
            throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> got = client.postFor(path, body);
            if (got.statusCode() == status || attempt > 0 && got.statusCode() == 409) {
                return;
            }
            if (got.statusCode() != 503 || attempt == 20) {
                throw new IllegalStateException("POST " + path + " " + body + " answered " + got.statusCode() + ", not "
                        + status + ": " + got.body());
            }
            retries.incrementAndGet();
        }
    }

    /**
     * The first {@code count} hosts that run nodes die at once; returns the seconds until the resource manager
     * declared all of them LOST, until every node they ran was ONLINE on another host, and how many nodes moved.
     */
    private double[] hostLoss(FakeHosts fakes, int count) throws Exception {
        List<String> victims = fakes.hosts().stream().filter(h -> !fakes.nodesOn(h).isEmpty()).limit(count).toList();
        Set<String> moved = new HashSet<>();
        victims.forEach(h -> moved.addAll(fakes.nodesOn(h)));
        long t0 = System.nanoTime();
        java.time.Instant killed = java.time.Instant.now();
        victims.forEach(fakes::kill);
        awaitTrue(() -> victims.stream().allMatch(h -> fakes.lostSince(h, killed)), REPLACE_WITHIN,
                "the dead hosts LOST");
        double lost = (System.nanoTime() - t0) / 1e9;
        awaitTrue(() -> {
            Map<String, String> online = fakes.online();
            return moved.stream().allMatch(online::containsKey);
        }, REPLACE_WITHIN, "the dead hosts' nodes ONLINE elsewhere");
        double replaced = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "host loss: %d hosts with %d nodes died at once -> LOST after %.1f s, every node "
                + "ONLINE elsewhere after %.1f s (liveness 5 s, heartbeat %d ms)%n", victims.size(), moved.size(), lost,
                replaced, HEARTBEAT.toMillis());
        return new double[]{lost, replaced, moved.size()};
    }

    /** ONLINE nodes as the API lists them (every page of {@code GET /api/nodes}). */
    private long onlineInApi(String api, String token) throws Exception {
        long online = 0;
        String after = null;
        do {
            JsonNode page = getJson(api + "/api/nodes?limit=1000" + (after == null ? "" : "&after=" + after), token);
            if (page == null) {
                throw new IllegalStateException("GET /api/nodes failed");
            }
            for (JsonNode n : page.path("data")) {
                online += n.path("state").asText().equals("ONLINE") ? 1 : 0;
            }
            after = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (after != null);
        return online;
    }

    private JsonNode getJson(String url, String token) {
        try {
            HttpResponse<String> r = http.send(BenchApi.request(URI.create(url), token).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? mapper.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private static void awaitTrue(Condition c, Duration within, String what) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (!c.met()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("scale: not within " + within.toSeconds() + " s: " + what);
            }
            Thread.sleep(50); // polling interval of the measurement
        }
    }

    private void print(Result r) {
        Tables.print(out, List.of("FIGURE", "VALUE"), List.of(
                List.of("hosts / nodes / pods", r.hosts() + " / " + r.nodes() + " / " + r.pods()),
                List.of("time to place every node (ONLINE)", String.format(Locale.ROOT, "%.1f s", r.placeSeconds())),
                List.of("RM decisions (commands) per second", String.format(Locale.ROOT, "%.0f mean, %d peak",
                        r.commandsPerSecond(), r.peakCommands())),
                List.of("admin GETs while placing", r.placingLatency()),
                List.of("admin GETs steady", r.steadyLatency() + " (goal p99 <= " + (int) ADMIN_P99_GOAL_MS + " ms)"),
                List.of("RM heap after full GC (" + RM_HEAP + ")", r.rmHeapMb() + " MB (goal <= " + HEAP_GOAL_MB
                        + " MB)"),
                List.of("RSS", r.rssMb().toString()),
                List.of("host loss", String.format(Locale.ROOT, "%d hosts, %d nodes: LOST %.1f s, replaced ONLINE %.1f s",
                        r.deadHosts(), r.movedNodes(), r.lostSeconds(), r.replacedSeconds())),
                List.of("ONLINE in the API at the end", String.valueOf(r.onlineInApi())),
                List.of("load average at the end", r.load())));
        out.println(r.goalsMet() ? "goals met" : "goals NOT met");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
