package cms.cli;

import cms.core.auth.TokenFile;
import cms.core.auth.TokenSecret;
import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import cms.nodedaemon.HostConfig;
import cms.nodedaemon.NodeDaemon;
import cms.web.WebServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cms dev}: every service in one JVM. Starts a real single-node KRaft broker in-process unless
 * {@code --kafka} or {@code CMS_KAFKA} names a cluster, then the resource manager, this host's node
 * daemon, the balancer, the elasticity service and the web API side by side (each says how long it took), and prints
 * the API's URL.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run all of CMS in one process, with an embedded Kafka broker unless --kafka is given.")
final class DevCommand implements Callable<Integer> {

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "use this Kafka cluster (default: $CMS_KAFKA, "
            + "else an embedded broker)")
    String kafka;

    @Option(names = "--kafka-port", description = "port of the embedded broker (default 9092)")
    int kafkaPort = 9092;

    @Option(names = "--port", description = "port of the web API (default: $CMS_WEB_PORT, else 8080)")
    Integer webPort;

    @Option(names = "--data-dir", description = "where the embedded broker keeps its data (default .cms)")
    Path dataDir = Path.of(".cms");

    @Option(names = "--no-node-daemon", description = "run no node daemon here (hosts run `cms node-daemon`)")
    boolean noNodeDaemon;

    @Option(names = "--stop-nodes-on-exit", description = "stop this host's nodes and the HAProxy frontends when "
            + "cms dev stops (by default they keep running, and the next cms dev adopts them)")
    boolean stopNodesOnExit;

    private final Map<String, String> env;
    private final PrintStream out;

    DevCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> overrides = new HashMap<>();
        String external = kafka != null ? kafka : env.get(KafkaSettings.KEY);
        Services services = Services.exitingOnFatal(System.err);
        List<Runnable> onExit = new ArrayList<>();
        List<AutoCloseable> deciders = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!onExit.isEmpty()) {
                out.println("stopping: this host's nodes and the load-balancer frontends go too (--stop-nodes-on-exit)");
                // the deciders first: elasticity would otherwise answer the stopped nodes with new ones
                deciders.forEach(services::closeNow);
            }
            onExit.forEach(Runnable::run);
            services.close();
        }, "cms-shutdown"));
        if (external != null && !external.isBlank()) {
            overrides.put(KafkaSettings.KEY, new KafkaSettings(external).bootstrapServers());
            out.println("kafka:            external cluster at " + external);
        } else {
            Path dir = dataDir.resolve("kafka");
            EmbeddedKafka broker = services.own(EmbeddedKafka.start(dir, kafkaPort, kafkaPort + 1));
            overrides.put(KafkaSettings.KEY, broker.bootstrapServers());
            out.println("kafka:            embedded KRaft broker at " + broker.bootstrapServers() + " (data in " + dir + ")");
        }
        if (webPort != null) {
            overrides.put("CMS_WEB_PORT", String.valueOf(webPort));
        }
        if (!noNodeDaemon) {
            // cms dev's own daemon needs no join token: the resource manager trusts this host
            String own = new Settings(env).string("CMS_HOST_ID", cms.nodedaemon.HostConfig.localHostName());
            String trusted = env.getOrDefault("CMS_RM_TRUSTED_HOSTS", "");
            overrides.put("CMS_RM_TRUSTED_HOSTS", trusted.isBlank() ? own : trusted + "," + own);
        }
        Path clientConfig = ClientConfig.path(env);
        TokenSecret admin = adminToken(clientConfig, overrides);
        Settings settings = new Settings(env).with(overrides);
        Services.logSettings(settings);
        // the services meet only through Kafka and each makes the topics it needs, so they start side by side
        ExecutorService starting = Executors.newFixedThreadPool(5, r -> {
            Thread t = new Thread(r, "cms-dev-start");
            t.setDaemon(true);
            return t;
        });
        Future<Started<cms.rm.service.ResourceManagerLoop>> rmStart = aside(starting,
                () -> services.resourceManager(settings));
        Future<Started<NodeDaemon>> daemonStart = noNodeDaemon ? null : aside(starting, () -> services.nodeDaemon(settings));
        Future<Started<cms.balancer.BalancerLoop>> balancerStart = aside(starting, () -> services.balancer(settings));
        Future<Started<cms.elasticity.ElasticityLoop>> elasticityStart = aside(starting,
                () -> services.elasticity(settings));
        Future<Started<WebServer>> webStart = aside(starting, () -> services.web(settings));
        starting.shutdown();
        Started<cms.rm.service.ResourceManagerLoop> rm = ready(rmStart);
        deciders.add(0, rm.service());
        out.printf("resource manager: ready (%.1f s)%n", rm.seconds());
        if (daemonStart == null) {
            out.println("node daemon:      none here (--no-node-daemon)");
        } else {
            Started<NodeDaemon> daemon = ready(daemonStart);
            if (stopNodesOnExit) {
                onExit.add(daemon.service()::removeAllNodes);
            }
            HostConfig host = daemon.service().host();
            out.printf("node daemon:      host %s at %s (%.1f CPU, %d MB), nodes run by the %s driver (%.1f s)%n",
                    host.hostId(), host.address(), host.cpus(), host.memoryMb(), daemon.service().driverDescription(),
                    daemon.seconds());
        }
        Started<cms.balancer.BalancerLoop> balancer = ready(balancerStart);
        if (stopNodesOnExit) {
            onExit.add(balancer.service()::removeAllPools);
        }
        int base = settings.integer("CMS_RM_FRONTEND_BASE_PORT", 5000, 1024, 65535);
        out.printf("balancer:         %s, frontends on %s (cloud init gives light %d, medium %d, heavy %d) (%.1f s)%n",
                balancer.service().backendName(), settings.string("CMS_BALANCER_ADDRESS", "127.0.0.1"), base, base + 1,
                base + 2, balancer.seconds());
        Started<cms.elasticity.ElasticityLoop> elasticity = ready(elasticityStart);
        deciders.add(0, elasticity.service());
        out.printf("elasticity:       evaluating every pod with elasticity enabled (%.1f s)%n", elasticity.seconds());
        Started<WebServer> webStarted = ready(webStart);
        WebServer web = webStarted.service();
        out.printf("web:              %s (%.1f s)%n", web.url(), webStarted.seconds());
        ClientConfig.write(clientConfig, new ClientConfig.Entry(web.url(), admin.text()));
        awaitToken(web.url(), admin);
        out.printf("ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        out.println("dashboard: " + web.url() + "/login?token=" + admin.text() + "   (logs this browser in)");
        out.println("CMS API: " + web.url() + "  (REST under /api with Authorization: Bearer $(./cloud auth token); "
                + "OpenAPI at /openapi.json, live stream at /api/stream)");
        out.println("metrics: " + metricsLine(services.metricsUrls())
                + "  (Prometheus text; web's needs a token, as the API; deploy/prometheus/ scrapes them all)");
        out.println("cloud:   " + clientConfig + " holds the URL and an admin token (mode 600); cloud finds it");
        out.println("try: ./cloud pod ls   (./cloud init once, to create light, medium, heavy)");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    /** A service started aside, and the seconds it took to be ready. */
    record Started<T>(T service, double seconds) {
    }

    private static <T> Future<Started<T>> aside(ExecutorService pool, Callable<T> start) {
        return pool.submit(() -> {
            long t0 = System.nanoTime();
            T service = start.call();
            return new Started<>(service, (System.nanoTime() - t0) / 1e9);
        });
    }

    /** The started service, or what stopped its start (as it would have been thrown had it started here). */
    private static <T> Started<T> ready(Future<Started<T>> start) throws Exception {
        try {
            return start.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Each service's /metrics URL, in the order the services start ({@code rm=http://…/metrics …}). */
    static String metricsLine(Map<String, String> urls) {
        StringBuilder line = new StringBuilder();
        for (String service : List.of("rm", "node-daemon", "balancer", "elasticity", "web")) {
            String url = urls.get(service);
            if (url != null) {
                line.append(line.length() == 0 ? "" : " ").append(service).append('=').append(url);
            }
        }
        return line.toString();
    }

    /**
     * The admin token of this install: the one {@code CMS_RM_ADMIN_TOKEN_FILE} names when set; else the one
     * the client configuration holds (so {@code cloud} keeps working across restarts); else a new one, written
     * there at once (mode 600) for the resource manager to store.
     */
    private TokenSecret adminToken(Path clientConfig, Map<String, String> overrides) throws java.io.IOException {
        String file = env.get("CMS_RM_ADMIN_TOKEN_FILE");
        if (file != null && !file.isBlank()) {
            return TokenFile.read("CMS_RM_ADMIN_TOKEN_FILE", Path.of(file));
        }
        java.util.Optional<ClientConfig.Entry> existing = ClientConfig.read(clientConfig);
        TokenSecret token = existing.map(ClientConfig.Entry::token).flatMap(TokenSecret::parse)
                .orElseGet(() -> TokenSecret.issue(new java.security.SecureRandom()));
        String url = existing.map(ClientConfig.Entry::url).orElse(CloudCommand.DEFAULT_URL);
        ClientConfig.write(clientConfig, new ClientConfig.Entry(url, token.text()));
        overrides.put("CMS_RM_ADMIN_TOKEN_FILE", clientConfig.toAbsolutePath().toString());
        return token;
    }

    /** Waits until the API takes the admin token (the resource manager stored it, the web service read it). */
    private static void awaitToken(String url, TokenSecret admin) throws InterruptedException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest whoami = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/api/whoami"))
                .header("Authorization", "Bearer " + admin.text()).timeout(java.time.Duration.ofSeconds(5)).build();
        boolean accepted = Poll.within(java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(50), () -> {
            try {
                return http.send(whoami, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        });
        if (!accepted) {
            System.err.println("cms dev: the API did not take the admin token within 30 s; cloud may answer 401 "
                    + "until it does");
        }
    }
}
