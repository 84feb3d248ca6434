package cms.elasticity;

import cms.core.codec.EventCodec;
import cms.core.metrics.ServiceMetrics;
import cms.core.event.MetricSample;
import cms.core.event.ScalingDecision;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.Liveness;
import cms.core.kafka.LoopHandler;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.LoopSession;
import cms.core.kafka.Subscription;
import cms.core.kafka.PodSnapshots;
import cms.core.kafka.TopicCreator;
import cms.core.model.Pod;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The elasticity service's thread: reads {@code pods} (from the start) and {@code metrics} (from now),
 * and on every tick has the {@link ScalingEvaluator} evaluate each pod whose elasticity is enabled; a
 * decision that changes a pod's size goes on {@code scaling} with its inputs and reason. It runs on the
 * one {@link ConsumerLoop}: a record it cannot read goes to dead-letter, a Kafka outage is waited out.
 */
public final class ElasticityLoop implements AutoCloseable, LoopHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticityLoop.class);
    public static final String LOOP = "cms-elasticity";

    private final ElasticityConfig config;
    private final Map<String, Pod> pods = new HashMap<>();
    private final ScalingEvaluator evaluator;
    private final EventCodec codec;
    private final ConsumerLoop loop;
    private final EvaluationSchedule schedule;

    public ElasticityLoop(ElasticityConfig config, EventCodec codec, Clock clock) {
        this(config, codec, clock, null, reason -> { });
    }

    /** {@code liveness} (may be null) gets the loop's health; {@code onFatal} is told when it cannot go on. */
    public ElasticityLoop(ElasticityConfig config, EventCodec codec, Clock clock, Liveness liveness,
                          java.util.function.Consumer<String> onFatal) {
        this(config, codec, clock, liveness, onFatal, ServiceMetrics.none());
    }

    /** {@code metrics}: the service's meters, told of the decisions the loop publishes. */
    public ElasticityLoop(ElasticityConfig config, EventCodec codec, Clock clock, Liveness liveness,
                          java.util.function.Consumer<String> onFatal, ServiceMetrics metrics) {
        this.config = config;
        this.codec = codec;
        this.evaluator = new ScalingEvaluator(config);
        this.schedule = new EvaluationSchedule(config.evaluateEvery());
        this.loop = ConsumerLoop.builder(LOOP)
                .consumer(() -> new KafkaConsumer<>(config.kafka().consumer(LOOP, null)))
                .producer(() -> new KafkaProducer<>(config.kafka().producer(LOOP, null)), false)
                .subscription(new Subscription.Assigned(List.of(Topics.PODS), List.of(Topics.METRICS)))
                .handler(this).codec(codec).clock(clock).liveness(liveness).onFatal(onFatal).metrics(metrics)
                .pollTimeout(Duration.ofMillis(100)).build();
    }

    public ElasticityLoop start() {
        TopicCreator.ensureAll(config.kafka());
        loop.start();
        return this;
    }

    /** The pods topic is read again from its start by each new consumer. */
    @Override
    public void onOpen(LoopSession session) {
        pods.clear();
    }

    @Override
    public void onRecord(ConsumerRecord<String, byte[]> r, LoopSession session) throws Exception {
        if (r.topic().equals(Topics.PODS.topicName())) {
            PodSnapshots.apply(pods, r, codec);
            schedule.shown(r.key());
        } else {
            MetricSample sample = codec.decode(r.value(), MetricSample.class);
            evaluator.add(sample);
            schedule.sampled(sample.pod());
            if (sample instanceof MetricSample.PodSample p && p.waiting() != null && p.waiting() > 0) {
                schedule.now(); // requests wait for a pod at 0 nodes: evaluate now, not at the next tick
            }
        }
    }

    @Override
    public void onTurn(Instant now, LoopSession session) {
        Optional<EvaluationSchedule.Due> due = schedule.due(now, pods.keySet());
        if (due.isEmpty()) {
            return;
        }
        for (ScalingDecision d : evaluator.evaluate(pods, now, due.get())) {
            LOG.info("pod={} {}", d.pod(), d.reason());
            session.publisher().publish(Topics.SCALING, d);
            schedule.decided(d.pod(), now);
        }
    }

    public LoopHealth health() {
        return loop.health();
    }

    @Override
    public void close() {
        loop.close();
    }
}
