package cms.cli;

import cms.balancer.BalancerConfig;
import cms.balancer.BalancerLoop;
import cms.balancer.Balancers;
import cms.core.codec.EventCodec;
import cms.elasticity.ElasticityConfig;
import cms.elasticity.ElasticityLoop;
import cms.core.config.NetAddress;
import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.BrokerWatch;
import cms.nodedaemon.HostConfig;
import cms.nodedaemon.HostProbe;
import cms.nodedaemon.NodeDaemon;
import cms.nodedaemon.NodeDaemonConfig;
import cms.rm.service.ResourceManagerConfig;
import cms.rm.service.ResourceManagerLoop;
import cms.web.AdminController;
import cms.web.AdminRequestClient;
import cms.web.ApiJson;
import cms.web.JobsController;
import cms.web.PodLookup;
import cms.web.jobs.JobEventsReader;
import cms.web.jobs.JobSubmitter;
import cms.web.jobs.JobTable;
import cms.web.jobs.TableOpening;
import cms.web.WebConfig;
import cms.web.TokensController;
import cms.web.WebServer;
import cms.web.auth.ApiAuth;
import cms.web.auth.TokenView;
import cms.web.live.LiveConfig;
import cms.web.live.LiveController;
import cms.web.live.PageController;
import cms.web.live.LiveView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import cms.balancer.BalancerMeters;
import cms.core.metrics.EventTap;
import cms.core.metrics.MetricsConfig;
import cms.core.metrics.ServiceMetrics;
import cms.elasticity.ScalingMeters;
import cms.nodedaemon.NodeMeters;
import cms.rm.metrics.JobMeters;
import io.micrometer.core.instrument.MeterRegistry;
import cms.core.kafka.Liveness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and starts CMS services by hand from settings, and stops them in reverse order, once. Used by
 * {@code cms dev} (all of them) and by the single-service commands.
 */
public final class Services implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);
    /** How long the web's job API waits for its table at start before it answers from what it has read. */
    private static final Duration JOBS_LOAD = Duration.ofSeconds(10);

    /** The exit status of a process whose service met a fault it cannot ride out. */
    public static final int EXIT_SERVICE_FAILED = 70;

    private final EventCodec codec = new EventCodec();
    private final Clock clock = Clock.systemUTC();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Liveness liveness = new Liveness(clock);
    private final Consumer<String> onFatal;
    /** What closes with a service closed ahead of the others (its meters). */
    private final Map<AutoCloseable, AutoCloseable> companions = new IdentityHashMap<>();
    private final Map<String, String> metricsUrls = new ConcurrentHashMap<>();
    private boolean closed;

    /** Services whose fatal faults are only logged and shown by their health (for tests). */
    public Services() {
        this(reason -> { });
    }

    /** {@code onFatal} is told the reason when a service's loop meets a fault it cannot ride out. */
    public Services(Consumer<String> onFatal) {
        this.onFatal = onFatal;
    }

    /**
     * For a process: a service that cannot go on ends it with status {@value #EXIT_SERVICE_FAILED}, so that
     * systemd, Kubernetes or a shell loop start it again (from another thread, as the shutdown hooks wait
     * for the loop's thread to end).
     */
    public static Services exitingOnFatal(java.io.PrintStream err) {
        return new Services(reason -> {
            err.println("cms: " + reason + "; stopping with status " + EXIT_SERVICE_FAILED);
            Thread exit = new Thread(() -> System.exit(EXIT_SERVICE_FAILED), "cms-exit");
            exit.start();
        });
    }

    /** The loops of the services started here and how each is doing. */
    public Liveness liveness() {
        return liveness;
    }

    /** One start-up line with every CMS_* setting in force, secrets masked. */
    public static void logSettings(Settings settings) {
        LOG.info("settings: {}", settings.maskedCmsValues());
    }

    public ResourceManagerLoop resourceManager(Settings settings) throws InterruptedException {
        ResourceManagerConfig config = ResourceManagerConfig.from(settings);
        warnIfLoopback(config.kafka(), "CMS_RM_FRONTEND_HOST", config.frontendHost(),
                "jobs go to frontends on this machine, so the balancer must run here");
        ServiceMetrics metrics = metrics(settings, MetricsConfig.Service.RESOURCE_MANAGER, JobMeters::new);
        ResourceManagerLoop rm = new ResourceManagerLoop(config, codec, clock, liveness, onFatal, metrics);
        push(rm);
        companion(rm, metrics);
        rm.start();
        if (!rm.awaitReady(Duration.ofSeconds(90))) {
            throw new IllegalStateException("the resource manager did not become ready within 90 s");
        }
        return rm;
    }

    public WebServer web(Settings settings) {
        WebConfig config = WebConfig.from(settings);
        CompletableFuture<Void> topics = ensureTopicsAside(config.kafka());
        ServiceMetrics metrics = own(ServiceMetrics.of(registry -> EventTap.NONE));
        // the job table (the largest read) loads first, while the rest starts: its clients are made while the topics
        // are checked, and it reads once they are
        JobTable table = new JobTable(config.jobHistory());
        JobEventsReader jobsReader = new JobEventsReader(config.kafka(), codec, table, clock, liveness, onFatal,
                metrics, topics::join);
        push(jobsReader.start());
        BrokerWatch broker = BrokerWatch.of(config.kafka(), "cms-web-watch", clock).start();
        push(broker);
        topics.join(); // the other readers start once the topics are checked
        AdminRequestClient client = new AdminRequestClient(config.kafka(), codec, broker, clock, liveness, onFatal);
        push(client);
        LiveView live = new LiveView(LiveConfig.from(settings), codec, clock, liveness, onFatal, metrics);
        push(live);
        live.start();
        JobSubmitter submitter = new JobSubmitter(config.kafka(), codec, config.adminTimeout(), broker);
        push(submitter);
        ApiJson api = new ApiJson(codec);
        LiveController liveApi = new LiveController(live, api);
        PodLookup pods = new PodLookup(liveApi::knows, client, clock, config.adminTimeout());
        // the job API waits for the table (at most 10 s from here, then it answers from what it has read), so the
        // HTTP server starts while the table loads
        TableOpening opening = new TableOpening(jobsReader::awaitStarted, clock, clock.instant().plus(JOBS_LOAD));
        JobsController jobs = new JobsController(submitter, table, pods, client, broker, api, clock,
                config.adminTimeout(), config.jobMaxPayloadBytes(), config.jobQueueLimit(), opening);
        AdminController admin = new AdminController(client, broker, liveness, api, clock, config.adminTimeout());
        TokenView tokenView = new TokenView(config.kafka(), codec, clock, liveness, onFatal);
        push(tokenView);
        tokenView.start(Duration.ofSeconds(10));
        TokensController tokens = new TokensController(client, tokenView.book(), tokenView::awaitChange, api, clock,
                config.adminTimeout());
        WebServer server = new WebServer(config, admin, jobs, liveApi, new PageController(pods::exists), tokens,
                ApiAuth.of(tokenView), api, metrics);
        push(server);
        server.start();
        if (!opening.await()) {
            LOG.warn("jobs: job-state not read within {} s; the job API answers from the jobs read so far",
                    JOBS_LOAD.toSeconds());
        }
        metricsUrls.put("web", server.url() + "/metrics");
        return server;
    }

    /**
     * As every service does, the web makes the topics it reads when they are missing, so that its readers find them
     * at once whichever service starts first (side by side in {@code cms dev}); on a thread of its own. The future
     * completes when that is done, or 3 s after it began, as the web must open with Kafka away too (its readers then
     * wait for the broker as they always do).
     */
    private static CompletableFuture<Void> ensureTopicsAside(KafkaSettings kafka) {
        CompletableFuture<Void> checked = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                cms.core.kafka.TopicCreator.ensureAll(kafka);
            } catch (RuntimeException e) {
                LOG.warn("web: topics not checked ({}); its readers wait for them", e.toString());
            } finally {
                checked.complete(null);
            }
        }, "cms-web-topics");
        t.setDaemon(true);
        t.start();
        return checked.completeOnTimeout(null, 3, TimeUnit.SECONDS);
    }

    public NodeDaemon nodeDaemon(Settings settings) {
        NodeDaemonConfig config = NodeDaemonConfig.from(settings, HostConfig.from(settings, new HostProbe()));
        warnIfLoopback(config.host().kafka(), "CMS_HOST_ADDRESS", config.host().address(),
                "this host's nodes listen there, out of reach of a balancer on another machine");
        String hostId = config.host().hostId();
        ServiceMetrics metrics = metrics(settings, MetricsConfig.Service.NODE_DAEMON, r -> new NodeMeters(r, hostId));
        NodeDaemon daemon = new NodeDaemon(config, codec, clock, liveness, onFatal, metrics);
        push(daemon);
        companion(daemon, metrics);
        return daemon.start();
    }

    /** The balancer service on the backend that {@code CMS_BALANCER} chooses. */
    public BalancerLoop balancer(Settings settings) throws InterruptedException {
        BalancerConfig config = BalancerConfig.from(settings);
        warnIfLoopback(config.kafka(), "CMS_BALANCER_ADDRESS", config.address(),
                "the frontends listen there, out of reach of clients and a resource manager on other machines");
        ServiceMetrics metrics = metrics(settings, MetricsConfig.Service.BALANCER, BalancerMeters::new);
        BalancerLoop loop = new BalancerLoop(config, Balancers.choose(config), codec, clock, liveness, onFatal, metrics);
        push(loop);
        companion(loop, metrics);
        loop.start();
        if (!loop.awaitReady(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the balancer did not read the pods topic within 60 s");
        }
        return loop;
    }

    /** The elasticity service. */
    public ElasticityLoop elasticity(Settings settings) {
        ServiceMetrics metrics = metrics(settings, MetricsConfig.Service.ELASTICITY, ScalingMeters::new);
        ElasticityLoop loop = new ElasticityLoop(ElasticityConfig.from(settings), codec, clock, liveness, onFatal,
                metrics);
        push(loop);
        companion(loop, metrics);
        return loop.start();
    }

    /**
     * A service's meters, serving {@code /metrics} where its settings say (a port that is taken is logged and the
     * service runs without it); closed after the service, or with it by {@link #closeNow}.
     */
    private ServiceMetrics metrics(Settings settings, MetricsConfig.Service service,
                                   Function<MeterRegistry, EventTap> meters) {
        ServiceMetrics metrics = own(ServiceMetrics.of(meters));
        metrics.serve(MetricsConfig.from(settings, service), service.label())
                .ifPresent(url -> metricsUrls.put(service.label(), url));
        return metrics;
    }

    /** Where each service started here serves {@code /metrics}, by service (the last of a kind when there are more). */
    public Map<String, String> metricsUrls() {
        return Map.copyOf(metricsUrls);
    }

    private static void warnIfLoopback(KafkaSettings kafka, String key, String address, String consequence) {
        NetAddress.loopbackAmongRemotes(kafka.bootstrapServers(), key, address, consequence)
                .ifPresent(warning -> LOG.warn("{}", warning));
    }

    /** Closes one service now, ahead of the others (e.g. the deciders before the nodes are stopped). */
    public synchronized void closeNow(AutoCloseable service) {
        if (started.remove(service)) {
            try {
                service.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", service.getClass().getSimpleName(), e.toString());
            }
        }
        AutoCloseable companion = companions.remove(service);
        if (companion != null) {
            closeNow(companion);
        }
    }

    /** Keeps something that must be closed with the services (an embedded broker, last). */
    public <T extends AutoCloseable> T own(T resource) {
        push(resource);
        return resource;
    }

    /** Services start side by side ({@code cms dev}): what closes with them is kept under the lock. */
    private synchronized void push(AutoCloseable service) {
        started.push(service);
    }

    private synchronized void companion(AutoCloseable service, AutoCloseable meters) {
        companions.put(service, meters);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
