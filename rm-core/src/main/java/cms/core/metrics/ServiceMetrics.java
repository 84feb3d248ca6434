package cms.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's meters: a Prometheus registry with the JVM's basics, the lag of the service's Kafka consumers and
 * the service's own meters, which are fed the events it publishes ({@link EventTap}). {@link #serve} opens
 * {@code /metrics}; {@link #none()} is for services built without it (unit tests).
 */
public final class ServiceMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

    /** The Kafka client meter kept: each assigned partition's lag (a consumer has some hundred others). */
    public static final String KAFKA_LAG = "kafka.consumer.fetch.manager.records.lag";
    /** How often a consumer's meters are looked for again (its per-partition lag appears once it is assigned). */
    static final Duration KAFKA_REFRESH = Duration.ofSeconds(5);

    private final PrometheusMeterRegistry registry;
    private final EventTap tap;
    private final boolean bindsConsumers;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<Runnable> beforeScrape = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScheduledExecutorService refresher;
    private MetricsServer server;

    private ServiceMetrics(boolean served, Function<MeterRegistry, EventTap> meters) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().startsWith("kafka.")
                && !id.getName().equals(KAFKA_LAG)));
        registry.config().meterFilter(PrometheusNames.FILTER);
        this.bindsConsumers = served;
        if (served) {
            new JvmMemoryMetrics().bindTo(registry);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            owned.add(gc);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            PrometheusNames.bindProcessCpu(registry);
            PrometheusNames.bindCompilation(registry);
            new UptimeMetrics().bindTo(registry);
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cms-metrics-kafka");
                t.setDaemon(true);
                return t;
            });
        } else {
            refresher = null;
        }
        this.tap = meters.apply(registry);
    }

    /** A service's meters: the JVM's, its consumers' lag, and those {@code meters} registers and feeds. */
    public static ServiceMetrics of(Function<MeterRegistry, EventTap> meters) {
        return new ServiceMetrics(true, meters);
    }

    /** Meters of nothing, for a service built without {@code /metrics}. */
    public static ServiceMetrics none() {
        return new ServiceMetrics(false, r -> EventTap.NONE);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** What the service publishes goes here too. */
    public EventTap tap() {
        return tap;
    }

    /** {@code refresh} runs before each scrape (gauges read from a service's state as it is then). */
    public void onScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** The Prometheus text exposition of every meter now. */
    public synchronized String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /**
     * Binds a consumer's lag, tagged with its loop, until the returned handle is closed (with the consumer).
     * Reading a consumer's metrics is safe from another thread; its poll is not touched.
     */
    public AutoCloseable bind(Consumer<?, ?> consumer, String loop) {
        if (!bindsConsumers) {
            return () -> { };
        }
        KafkaClientMetrics kafka = new KafkaClientMetrics(consumer, Tags.of("loop", loop), refresher, KAFKA_REFRESH);
        kafka.bindTo(registry);
        return kafka;
    }

    /**
     * Serves {@code /metrics} where {@code config} says. A port that is taken is a warning, not a stop: the service
     * goes on without {@code /metrics} (Prometheus shows its target down) and the URL is empty.
     */
    public synchronized java.util.Optional<String> serve(MetricsConfig config, String service) {
        try {
            server = MetricsServer.start(config.host(), config.port(), this::scrape);
            LOG.info("{}: metrics at {}", service, server.url());
            return java.util.Optional.of(server.url());
        } catch (java.io.UncheckedIOException e) {
            LOG.warn("{}: /metrics not served: {}:{} cannot be listened on ({}); the service runs without it",
                    service, config.host(), config.port(), e.getCause().toString());
            return java.util.Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
        }
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
        if (refresher != null) {
            refresher.shutdownNow();
        }
        registry.close();
    }
}
