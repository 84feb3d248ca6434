package cms.elasticity;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.MetricSample;
import cms.core.event.ScalingDecision;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.LoopControl;
import cms.core.kafka.PodSnapshots;
import cms.core.kafka.TopicCreator;
import cms.core.model.Pod;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The elasticity service's thread: reads {@code pods} (from the start) and {@code metrics} (from now),
 * and on every tick has the {@link ScalingEvaluator} evaluate each pod whose elasticity is enabled; a
 * decision that changes a pod's size goes on {@code scaling} with its inputs and reason.
 */
public final class ElasticityLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticityLoop.class);

    private final ElasticityConfig config;
    private final EventCodec codec;
    private final Clock clock;
    private final Map<String, Pod> pods = new HashMap<>();
    private final ScalingEvaluator evaluator;
    private final LoopControl control = new LoopControl();
    private final Thread thread = new Thread(this::run, "cms-elasticity");

    public ElasticityLoop(ElasticityConfig config, EventCodec codec, Clock clock) {
        this.config = config;
        this.codec = codec;
        this.clock = clock;
        this.evaluator = new ScalingEvaluator(config);
    }

    public ElasticityLoop start() {
        TopicCreator.ensureAll(config.kafka());
        thread.start();
        return this;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config.kafka().consumer("cms-elasticity", null));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config.kafka().producer("cms-elasticity",
                     null))) {
            control.attach(c);
            List<TopicPartition> podParts = partitions(c, Topics.PODS);
            List<TopicPartition> metricParts = partitions(c, Topics.METRICS);
            List<TopicPartition> all = new ArrayList<>(podParts);
            all.addAll(metricParts);
            c.assign(all);
            c.seekToBeginning(podParts);
            c.seekToEnd(metricParts);
            EventPublisher publisher = new EventPublisher(producer, codec);
            Instant next = clock.instant().plus(config.evaluateEvery());
            while (control.running()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    apply(r);
                }
                Instant now = clock.instant();
                if (!now.isBefore(next)) {
                    evaluate(publisher, now);
                    next = now.plus(config.evaluateEvery());
                }
            }
        } catch (WakeupException e) {
            if (control.running()) {
                LOG.error("elasticity woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("elasticity stopped: {}", e.toString(), e);
        } finally {
            control.ended();
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, Topics topic) {
        return c.partitionsFor(topic.topicName()).stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.topic().equals(Topics.PODS.topicName())) {
                PodSnapshots.apply(pods, r, codec);
            } else {
                evaluator.add(codec.decode(r.value(), MetricSample.class));
            }
        } catch (UndecodableRecordException e) {
            LOG.debug("topic={} offset={} skipped: {}", r.topic(), r.offset(), e.getMessage());
        }
    }

    private void evaluate(EventPublisher publisher, Instant now) {
        for (ScalingDecision d : evaluator.evaluate(pods, now)) {
            LOG.info("pod={} {}", d.pod(), d.reason());
            publisher.publish(Topics.SCALING, d);
        }
    }

    @Override
    public void close() {
        control.stop(Duration.ofSeconds(15));
    }
}
