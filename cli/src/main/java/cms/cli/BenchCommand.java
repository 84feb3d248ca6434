package cms.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cms bench}: measurements quoted in docs/benchmarks.md.
 * <ul>
 *   <li>{@code startup}: a fresh {@code cms dev} process (new JVM, new embedded broker, empty data
 *   directory) until {@code /api/health} answers 200 with the resource manager UP; repeated.</li>
 *   <li>{@code admin}: round trips of admin requests through the API (HTTP → Kafka → resource manager
 *   → Kafka → HTTP) against a running CMS.</li>
 *   <li>{@code stream}: delay from a metric record to the dashboard's stream clients, and the overview's
 *   load with many nodes ({@link StreamBench}).</li>
 *   <li>{@code chaos}: one fault after another under a steady load, a row of figures per fault
 *   ({@link ChaosBench}).</li>
 *   <li>{@code hosts}: a test host's daemon and nodes killed under a client load, → LOST and → replacements
 *   serving through the frontend, per run and the median ({@link HostsBench}; root: network namespaces).</li>
 *   <li>{@code scale}: the control plane with many simulated hosts and nodes ({@link ScaleBench}).</li>
 *   <li>{@code cloud}: the wall time of {@code ./cloud pod ls}, beside other command lines ({@link CloudBench}).</li>
 * </ul>
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure CMS (see docs/benchmarks.md).")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WHAT", description = "startup, admin, launch, balancer, stream, jobs, "
            + "reaction, chaos, hosts, scale or cloud")
    String what;

    @Option(names = "--runs", description = "startup: how many fresh starts; reaction: how many load steps; "
            + "hosts: how many host losses; cloud: runs of each command line (default 5)")
    int runs = 5;

    @Option(names = "--hosts", description = "hosts: test hosts, each a network namespace with a node daemon "
            + "(default 3); scale: simulated hosts (default 1000)")
    Integer hosts;

    @Option(names = "--liveness-ms", description = "hosts: CMS_RM_HOST_LIVENESS_MS, a host not heard from for this "
            + "long is LOST (default 5000, the resource manager's default)")
    long livenessMs = cms.rm.model.Placement.DEFAULT_LIVENESS.toMillis();

    @Option(names = "--requests", description = "admin: round trips to time (default 100); balancer: requests "
            + "per measurement")
    int requests = 100;

    @Option(names = "--warmup", description = "admin: untimed round trips first (default 20); jobs: seconds of jobs "
            + "offered before anything is measured, for the JIT of the one JVM of cms dev, at least (default 60)")
    Integer warmup;

    @Option(names = "--warmup-max", description = "jobs: the warm-up goes on past --warmup, 10 s at a time, until the "
            + "JIT of cms dev compiled at most 1 s in the last 10 s, for at most this many seconds in all (default "
            + "300; the same as --warmup: a fixed warm-up)")
    Integer warmupMax;

    @Option(names = "--driver", description = "launch: docker or process (default process); reaction: the nodes' "
            + "driver (default docker); chaos: the nodes' driver "
            + "(default docker when the image cms/workload:dev is there, else process)")
    String driver;

    @Option(names = "--workload", split = ",", description = "reaction: the pods to step, light and/or heavy "
            + "(default light,heavy)")
    List<String> workloads = List.of("light", "heavy");

    @Option(names = "--normal-path", description = "reaction: also run each step with the fast path off "
            + "(CMS_ELASTICITY_SURGE_FACTOR=0), side by side")
    boolean normalPath;

    @Option(names = "--long", description = "chaos: also keep the broker away for 5 minutes")
    boolean includeLong;

    @Option(names = "--request-rate", description = "chaos: client GETs a second through the frontend (default 20)")
    int requestRate = 20;

    @Option(names = "--job-rate", description = "chaos: jobs a second, half over HTTP, half over Kafka (default 25)")
    int jobRate = 25;

    @Option(names = "--nodes", description = "launch: how many nodes, one after another (default 20); stream: "
            + "registered nodes for the overview (default 200); scale: nodes placed (default 10000)")
    Integer nodes;

    @Option(names = "--pods", description = "scale: pods the nodes are spread over (default 100)")
    int pods = 100;

    @Option(names = "--records", description = "stream: metric records to time, 20 a second (default 200)")
    int records = 200;

    @Option(names = "-c", description = "balancer: clients at a time (default 8); stream: open streams (default 50)")
    Integer concurrency;

    @Option(names = "--rates", split = ",", description = "jobs: offered jobs/s, one after another (default "
            + "250,500,1000,1500,2000)")
    List<Integer> rates = List.of(250, 500, 1000, 1500, 2000);

    @Option(names = "--seconds", description = "jobs: how long each rate is offered (default 10); scale: how long "
            + "the steady load is held (default 60)")
    Integer seconds;

    @Option(names = "--pod-nodes", description = "jobs: nodes of the pod (default 2)")
    int podNodes = 2;

    @Option(names = "--per-node", description = "jobs: jobs a node runs at a time (CMS_RM_JOBS_PER_NODE, default 8)")
    int perNode = 8;

    @Option(names = "--ahead", description = "jobs: CMS_RM_JOBS_AHEAD of the resource manager (default 8; 1 commits "
            + "only what the slots take now, as before pipelining)")
    int ahead = cms.rm.service.ResourceManagerConfig.DEFAULT_JOBS_AHEAD;

    @Option(names = "--burst", description = "jobs: jobs in the burst, and GETs in the comparison (default 5000)")
    int burst = 5000;

    @Option(names = "--warmup-rate", description = "jobs: jobs/s offered during the warm-up (default 1000)")
    int warmUpRate = 1000;

    @Option(names = "--url", description = "admin, cloud: API of a running CMS (default: start one with cms dev)")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "admin, cloud with --url: its API token (default: "
            + "$CMS_TOKEN, else the client configuration's for that URL, as cloud finds it)")
    String token;

    @Option(names = "--cloud", paramLabel = "PATH", description = "cloud: the cloud script (default ./cloud)")
    String cloud = "./cloud";

    @Option(names = "--compare", paramLabel = "COMMAND", description = "cloud: another command line to time beside "
            + "it, e.g. '/tmp/old/cloud pod ls' or 'CMS_CLOUD_CDS=0 ./cloud pod ls' (repeatable)")
    List<String> compare = List.of();

    private final PrintStream out;
    private final Map<String, String> env;

    BenchCommand(PrintStream out, Map<String, String> env) {
        this.out = out;
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        return switch (what) {
            case "startup" -> startup();
            case "admin" -> admin();
            case "launch" -> new LaunchBench(out).run(driver == null ? "process" : driver, nodes == null ? 20 : nodes);
            case "balancer" -> new BalancerBench(out).run(requests, concurrency == null ? 8 : concurrency);
            case "stream" -> new StreamBench(out).run(concurrency == null ? 50 : concurrency, records,
                    nodes == null ? 200 : nodes);
            case "jobs" -> {
                int least = warmup == null ? 60 : warmup;
                yield new JobsBench(out).warmUp(warmUpRate, least, warmupMax == null ? Math.max(300, least) : warmupMax)
                        .run(rates, seconds == null ? 10 : seconds, podNodes, perNode, ahead, burst);
            }
            case "reaction" -> new ReactionBench(out).run(runs, workloads, driver == null ? "docker" : driver,
                    normalPath);
            case "chaos" -> new ChaosBench(out).run(includeLong, driver, requestRate, jobRate);
            case "hosts" -> new HostsBench(out).run(runs, hosts == null ? 3 : hosts, Duration.ofMillis(livenessMs));
            case "scale" -> new ScaleBench(out).run(hosts == null ? 1000 : hosts, nodes == null ? 10_000 : nodes,
                    seconds == null ? 60 : seconds, pods);
            case "cloud" -> new CloudBench(out).run(runs, cloud, compare, url == null ? null
                    : ClientConfig.normalise(url), url == null ? null : ClientConfig.token(token, env,
                    ClientConfig.normalise(url)).orElse(null));
            default -> throw new IllegalArgumentException("unknown benchmark '" + what
                    + "': startup, admin, launch, balancer, stream, jobs, reaction, chaos, hosts, scale or cloud");
        };
    }

    /**
     * Fresh {@code cms dev} processes until the API answers; where the class-data archive that the {@code cms}
     * script has the first {@code cms dev} after a build write exists, each run is timed without it and with it, one
     * after the other.
     */
    private int startup() throws Exception {
        Path jar = Path.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)[0]);
        Path archive = DevArchive.next(jar);
        boolean both = DevArchive.fresh(archive, jar);
        List<Double> seconds = new ArrayList<>();
        List<Double> archived = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (DevProcess dev = DevProcess.start()) {
                seconds.add(dev.readySeconds);
                out.printf(Locale.ROOT, "run %d: API ready after %.2f s%n", i + 1, dev.readySeconds);
            }
            if (both) {
                try (DevProcess dev = DevProcess.start(DevArchive.use(archive), List.of(), java.util.Map.of())) {
                    archived.add(dev.readySeconds);
                    out.printf(Locale.ROOT, "run %d, with %s: API ready after %.2f s%n", i + 1, archive.getFileName(),
                            dev.readySeconds);
                }
            }
        }
        out.printf(Locale.ROOT, "cms dev to API ready: median %.2f s, min %.2f s, max %.2f s over %d runs%n",
                percentile(seconds, 50), Collections.min(seconds), Collections.max(seconds), runs);
        if (both) {
            out.printf(Locale.ROOT, "with the class-data archive: median %.2f s, min %.2f s, max %.2f s over %d runs%n",
                    percentile(archived, 50), Collections.min(archived), Collections.max(archived), runs);
        } else {
            out.println("no class-data archive of this build at " + archive + " (the first ./cms dev after a build "
                    + "writes it when it stops): timed without only");
        }
        return 0;
    }

    private int admin() throws Exception {
        if (url != null) {
            String base = ClientConfig.normalise(url);
            return admin(base, ClientConfig.token(token, env, base).orElse(null));
        }
        try (DevProcess dev = DevProcess.start()) {
            return admin(dev.url, dev.token);
        }
    }

    private int admin(String base, String token) throws Exception {
        // made here, not with the command: every `cms` command builds this tree, and a client costs its TLS set-up
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest list = BenchApi.request(URI.create(base + "/api/pods"), token).GET().build();
        for (int i = 0; i < (warmup == null ? 20 : warmup); i++) {
            check(http.send(list, HttpResponse.BodyHandlers.ofString()));
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            check(http.send(list, HttpResponse.BodyHandlers.ofString()));
            millis.add((System.nanoTime() - t0) / 1e6);
        }
        out.printf(Locale.ROOT, "admin round trip (GET /api/pods through Kafka and the resource manager), %d "
                + "requests one at a time: median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", requests,
                percentile(millis, 50), percentile(millis, 90), percentile(millis, 99), Collections.max(millis));
        return 0;
    }

    private static void check(HttpResponse<String> r) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** A {@code cms dev} child process on free ports with a fresh data directory. */
    static final class DevProcess implements AutoCloseable {
        final Process process;
        final Path dir;
        final String url;
        final String kafka;
        double readySeconds;
        /** The admin token cms dev made (read from its client configuration once it is ready). */
        String token;

        private DevProcess(Process process, Path dir, String url, String kafka) {
            this.process = process;
            this.dir = dir;
            this.url = url;
            this.kafka = kafka;
        }

        /** A JSON client of its API with its admin token. */
        JsonHttp api() {
            return new JsonHttp(url, token);
        }

        static List<String> javaCommand(String... args) {
            return javaCommand(List.of(), args);
        }

        /** This JVM's java on this class path, with {@code jvmOptions}, running {@code cms ARGS}. */
        static List<String> javaCommand(List<String> jvmOptions, String... args) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CmsMain.class.getName()));
            cmd.addAll(List.of(args));
            return cmd;
        }

        static DevProcess start() throws Exception {
            return start(List.of(), java.util.Map.of());
        }

        static DevProcess start(List<String> extraArgs, java.util.Map<String, String> env) throws Exception {
            return start(List.of(), extraArgs, env);
        }

        static DevProcess start(List<String> jvmOptions, List<String> extraArgs, java.util.Map<String, String> env)
                throws Exception {
            Path dir = Files.createTempDirectory("cms-bench-");
            int web = freePort();
            int kafka = freePortPair();
            List<String> cmd = javaCommand(jvmOptions, "dev", "--port", String.valueOf(web), "--kafka-port",
                    String.valueOf(kafka), "--data-dir", dir.toString(), "--stop-nodes-on-exit");
            cmd.addAll(extraArgs);
            long t0 = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("dev.log").toFile());
            pb.environment().putAll(env);
            pb.environment().putIfAbsent("CMS_NODE_DIR", dir.resolve("dev-nodes").toString());
            pb.environment().putIfAbsent("CMS_BALANCER_DIR", dir.resolve("balancer").toString());
            pb.environment().putIfAbsent("CMS_CLIENT_CONFIG", ServiceProcess.clientConfig(dir).toString());
            Path clientConfig = Path.of(pb.environment().get("CMS_CLIENT_CONFIG"));
            Process p = pb.start();
            DevProcess dev = new DevProcess(p, dir, "http://127.0.0.1:" + web, "127.0.0.1:" + kafka);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create(dev.url + "/api/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            long deadline = t0 + Duration.ofSeconds(120).toNanos();
            // ready: healthy, and taking the admin token cms dev wrote for cloud (as a user's first command needs)
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        String token = ClientConfig.read(clientConfig).map(ClientConfig.Entry::token).orElse(null);
                        if (token != null && http.send(HttpRequest.newBuilder(URI.create(dev.url + "/api/whoami"))
                                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                            dev.token = token;
                            dev.readySeconds = (System.nanoTime() - t0) / 1e9;
                            return dev;
                        }
                    }
                } catch (IOException e) {
                    // not listening yet: poll again
                }
                p.waitFor(50, TimeUnit.MILLISECONDS);
            }
            dev.close();
            throw new IllegalStateException("cms dev did not become ready; see its log in " + dir);
        }

        static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }

        /**
         * A free port whose next one is free too: `cms dev --kafka-port P` puts the broker's controller on P + 1,
         * which a port picked alone may find taken (seen on CI: "failed to bind to 127.0.0.1:P+1").
         */
        static int freePortPair() throws IOException {
            for (int attempt = 0; attempt < 100; attempt++) {
                try (ServerSocket s = new ServerSocket(0)) {
                    int port = s.getLocalPort();
                    if (port < 65535) {
                        try (ServerSocket next = new ServerSocket(port + 1)) {
                            return port;
                        } catch (IOException taken) {
                            // try another
                        }
                    }
                }
            }
            throw new IOException("no two free ports in a row after 100 tries");
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
