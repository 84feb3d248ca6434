package cms.rm.service;

import cms.core.codec.EventCodec;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.Liveness;
import cms.core.kafka.Subscription;
import cms.core.metrics.ServiceMetrics;
import cms.rm.metrics.CloudStateMeters;
import cms.core.topic.Topics;
import cms.rm.model.CloudState;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The resource manager: a transactional {@link ConsumerLoop} over admin requests, node events, host
 * events, scaling decisions and jobs, whose {@link ResourceManagerHandler} applies each input to the
 * cloud state through the pure decisions and writes the changed pod snapshots, node commands, replies,
 * job events and dead letters together with the consumed offsets in one Kafka transaction, so every
 * input takes effect exactly once even if the process is killed. A Kafka fault (an outage of any length,
 * a commit that timed out) closes the clients; after a back-off new ones are opened and the state is
 * rebuilt from {@code pods} and {@code job-state}, while the jobs in flight keep running
 * ({@link JobRuntime}): nothing is lost and nothing is sent twice.
 */
public final class ResourceManagerLoop implements AutoCloseable {

    public static final String LOOP = "cms-rm";
    /**
     * Polls that wrote nothing (heartbeats of READY hosts) commit their offsets with the next transaction that
     * writes, or after this long: re-read after a crash, a heartbeat at most this old only delays a host's loss.
     */
    static final Duration QUIET_OFFSETS_HELD = Duration.ofSeconds(1);

    /** The second poll after buffered records ({@link cms.core.kafka.ConsumerLoop.Builder#catchUp}): a fetch's round trip. */
    static final Duration CATCH_UP = Duration.ofMillis(2);

    /** See {@link #producerProperties}. */
    static final Duration TRANSACTION_RETRY_BACKOFF = Duration.ofMillis(5);

    private final JobRuntime jobs;
    private final ResourceManagerHandler handler;
    private final ConsumerLoop loop;

    public ResourceManagerLoop(ResourceManagerConfig config, EventCodec codec, Clock clock) {
        this(config, codec, clock, null, reason -> { });
    }

    /** {@code liveness} (may be null) gets the loop's health; {@code onFatal} is told when it cannot go on. */
    public ResourceManagerLoop(ResourceManagerConfig config, EventCodec codec, Clock clock, Liveness liveness,
                               Consumer<String> onFatal) {
        this(config, codec, clock, liveness, onFatal, ServiceMetrics.none());
    }

    /** {@code metrics}: the service's meters, told what the loop publishes; its state's gauges are added to them. */
    public ResourceManagerLoop(ResourceManagerConfig config, EventCodec codec, Clock clock, Liveness liveness,
                               Consumer<String> onFatal, ServiceMetrics metrics) {
        this.jobs = new JobRuntime(config, codec);
        this.handler = new ResourceManagerHandler(config, codec, clock, jobs);
        this.loop = ConsumerLoop.builder(LOOP)
                .consumer(() -> new KafkaConsumer<>(consumerProperties(config)))
                .producer(() -> new KafkaProducer<>(producerProperties(config)), true)
                .subscription(Subscription.group(Topics.ADMIN_REQUESTS, Topics.NODE_EVENTS, Topics.HOST_EVENTS,
                        Topics.SCALING, Topics.JOBS, Topics.TOKENS))
                .handler(handler).codec(codec).clock(clock).liveness(liveness).onFatal(onFatal)
                .holdQuietOffsets(QUIET_OFFSETS_HELD).catchUp(CATCH_UP).metrics(metrics)
                .build();
        metrics.onScrape(new CloudStateMeters(metrics.registry(), handler::state)::refresh);
        jobs.onAnswer(loop::wakeup);
    }

    /**
     * The transactional producer. Its transactional requests are retried after {@link #TRANSACTION_RETRY_BACKOFF}
     * instead of the client's 100 ms: a turn's first request often comes while the coordinator still completes the
     * last turn's transaction (it answers "concurrent transactions", retriable), and with 100 ms the loop lost that
     * long in many turns under a steady stream of jobs ({@code cms bench jobs}: 1 500 jobs/s were not kept up with,
     * with 5 ms their p99 was 179 ms). The back-off still doubles up to {@code retry.backoff.max.ms} while a fault
     * lasts. An operator's own {@code retry.backoff.ms} ({@code CMS_KAFKA_CONFIG}) wins.
     */
    static Map<String, Object> producerProperties(ResourceManagerConfig config) {
        Map<String, Object> p = config.kafka().producer("cms-rm", config.transactionalId());
        p.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, (int) TRANSACTION_RETRY_BACKOFF.toMillis());
        return p;
    }

    /**
     * Static group membership (the transactional id as instance id): a restarted resource manager takes
     * its partitions back at once instead of waiting for the killed one's session to time out.
     */
    private static Map<String, Object> consumerProperties(ResourceManagerConfig config) {
        Map<String, Object> p = config.kafka().consumer("cms-rm", "cms-rm");
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.transactionalId());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }

    public void start() {
        loop.start();
    }

    /** Waits until the state is rebuilt and requests are being read. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return loop.awaitReady(timeout);
    }

    /** The state as of the last applied input (for tests and diagnostics). */
    public CloudState state() {
        return handler.state();
    }

    public LoopHealth health() {
        return loop.health();
    }

    @Override
    public void close() {
        loop.close();
        jobs.close();
    }
}
