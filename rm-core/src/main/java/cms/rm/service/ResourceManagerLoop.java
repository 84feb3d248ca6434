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
                .producer(() -> new KafkaProducer<>(config.kafka().producer("cms-rm", config.transactionalId())), true)
                .subscription(Subscription.group(Topics.ADMIN_REQUESTS, Topics.NODE_EVENTS, Topics.HOST_EVENTS,
                        Topics.SCALING, Topics.JOBS, Topics.TOKENS))
                .handler(handler).codec(codec).clock(clock).liveness(liveness).onFatal(onFatal)
                .holdQuietOffsets(QUIET_OFFSETS_HELD).catchUp(CATCH_UP).metrics(metrics)
                .build();
        metrics.onScrape(new CloudStateMeters(metrics.registry(), handler::state)::refresh);
        jobs.onAnswer(loop::wakeup);
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
