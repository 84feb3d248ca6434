package cms.elasticity;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.Ids;
import cms.core.event.MetricSample;
import cms.core.event.ScalingDecision;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.LoopControl;
import cms.core.kafka.PodSnapshots;
import cms.core.kafka.TopicCreator;
import cms.core.model.ElasticityPolicy;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.topic.Topics;
import cms.elasticity.policy.Decision;
import cms.elasticity.policy.Metric;
import cms.elasticity.policy.Recommendation;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.policy.Stabilizer;
import cms.elasticity.policy.Strategies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The elasticity service's thread: reads {@code pods} (from the start) and {@code metrics} (from now),
 * and on every tick evaluates each pod whose elasticity is enabled: its metric → strategy → time rules
 * → a decision, published on {@code scaling} with its inputs and reason when it changes the size. The
 * metric is per ONLINE node; the current size counts ONLINE and STARTING nodes, so capacity on its way
 * is not asked for twice.
 */
public final class ElasticityLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticityLoop.class);

    private final ElasticityConfig config;
    private final EventCodec codec;
    private final Clock clock;
    private final Map<String, Pod> pods = new HashMap<>();
    private final Map<String, Stabilizer> stabilizers = new HashMap<>();
    private final Map<String, ElasticityPolicy> policies = new HashMap<>();
    private final PodUtilisation utilisation;
    private final PodRequestRate requestRate;
    private final LoopControl control = new LoopControl();
    private final Thread thread = new Thread(this::run, "cms-elasticity");

    public ElasticityLoop(ElasticityConfig config, EventCodec codec, Clock clock) {
        this.config = config;
        this.codec = codec;
        this.clock = clock;
        this.utilisation = new PodUtilisation(config.smoothing());
        this.requestRate = new PodRequestRate(config.smoothing());
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
                MetricSample m = codec.decode(r.value(), MetricSample.class);
                if (m instanceof MetricSample.NodeSample s) {
                    utilisation.add(s);
                } else if (m instanceof MetricSample.PodSample s) {
                    requestRate.add(s);
                }
            }
        } catch (UndecodableRecordException e) {
            LOG.debug("topic={} offset={} skipped: {}", r.topic(), r.offset(), e.getMessage());
        }
    }

    private void evaluate(EventPublisher publisher, Instant now) {
        utilisation.forgetMissing(pods);
        requestRate.forgetMissing(pods);
        for (Pod pod : pods.values()) {
            ElasticityPolicy e = pod.elasticity();
            if (!e.enabled()) {
                stabilizers.remove(pod.name());
                continue;
            }
            if (!e.equals(policies.put(pod.name(), e))) {
                stabilizers.put(pod.name(), new Stabilizer());
            }
            Optional<Metric> metric = Policies.metric(e);
            if (metric.isEmpty()) {
                LOG.debug("pod={} metric '{}' is not known to this service: not evaluated", pod.name(), e.metric());
                continue;
            }
            evaluate(pod, metric.get(), Policies.of(e, config), publisher, now);
        }
    }

    /** One pod: its metric, the strategy, the time rules; the decision published when it changes the size. */
    private void evaluate(Pod pod, Metric metric, ScalingPolicy policy, EventPublisher publisher, Instant now) {
        int ready = count(pod, NodeState.ONLINE);
        int current = ready + count(pod, NodeState.STARTING);
        OptionalDouble value = metric == Metric.RPS ? requestRate.of(pod, now) : utilisation.of(pod, now);
        Recommendation rec = value.isPresent()
                ? Strategies.recommend(metric, value.getAsDouble(), ready, current, policy)
                : new Recommendation(current, "no " + metric.label() + " samples yet");
        Decision d = stabilizers.get(pod.name()).decide(rec, current, policy, now);
        if (d.changes()) {
            LOG.info("pod={} {}", pod.name(), d.reason());
            publisher.publish(Topics.SCALING, new ScalingDecision(Ids.next(), 1, now, pod.name(), metric.label(),
                    value.orElse(0), d.from(), d.to(), d.reason()));
        }
    }

    /** Nodes in {@code state} that are not being removed. */
    private static int count(Pod pod, NodeState state) {
        return (int) pod.nodes().stream().filter(n -> !n.removing() && n.state() == state).count();
    }

    @Override
    public void close() {
        control.stop(Duration.ofSeconds(15));
    }
}
