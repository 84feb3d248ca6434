package cms.rm.service;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.HostEvent;
import cms.core.event.Ids;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.kafka.DeadLetters;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.TopicCreator;
import cms.core.topic.Topics;
import cms.core.event.NodeCommand;
import cms.core.model.Node;
import cms.rm.model.AdminDecisions;
import cms.rm.model.DrainTimeouts;
import cms.rm.model.CloudState;
import cms.rm.model.ObservedDecisions;
import cms.rm.model.Outcome;
import cms.rm.model.ScalingDecisions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource manager's thread. Reads admin requests, node events and host events; applies each to the
 * cloud state through the pure decisions; and writes the changed pod snapshots, node commands, replies
 * and dead letters together with the consumed offsets in one Kafka transaction, so every input takes
 * effect exactly once even if the process is killed. On start it rebuilds its state from {@code pods}.
 */
public final class ResourceManagerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceManagerLoop.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

    private final ResourceManagerConfig config;
    private final EventCodec codec;
    private final Clock clock;
    private final AdminDecisions decisions;
    private final ScalingDecisions scaling;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile CloudState state = CloudState.empty();
    private Thread thread;
    private Instant lastTick;
    private final java.util.Set<String> stopsSent = new java.util.HashSet<>();

    public ResourceManagerLoop(ResourceManagerConfig config, EventCodec codec, Clock clock) {
        this.config = config;
        this.codec = codec;
        this.clock = clock;
        this.decisions = new AdminDecisions(config.placement(), config.frontendBasePort());
        this.scaling = new ScalingDecisions(config.placement());
    }

    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        thread = new Thread(this::run, "cms-rm");
        thread.start();
    }

    /** Waits until the state is rebuilt and requests are being read. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            TopicCreator.ensureAll(config.kafka());
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    config.kafka().producer("cms-rm", config.transactionalId()));
                 KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties())) {
                producer.initTransactions();
                consumer = c;
                state = new PodsStateLoader(config.kafka(), codec).load(LOAD_TIMEOUT);
                c.subscribe(List.of(Topics.ADMIN_REQUESTS.topicName(), Topics.NODE_EVENTS.topicName(),
                        Topics.HOST_EVENTS.topicName(), Topics.SCALING.topicName()), new ConsumerRebalanceListener() {
                            @Override
                            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                            }

                            @Override
                            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                                if (ready.getCount() > 0) {
                                    LOG.info("resource manager ready: {} pod(s), reading {} partition(s)",
                                            state.pods().size(), partitions.size());
                                }
                                ready.countDown();
                            }
                        });
                EventPublisher publisher = new EventPublisher(producer, codec);
                DeadLetters deadLetters = new DeadLetters(publisher, "cms-rm", clock);
                while (running.get()) {
                    pollOnce(c, producer, publisher, deadLetters);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("resource manager woken up unexpectedly", e);
            }
        } catch (ProducerFencedException e) {
            LOG.error("resource manager fenced: another instance with transactional id {} took over; stopping",
                    config.transactionalId());
        } catch (RuntimeException e) {
            LOG.error("resource manager stopped: {}", e.toString(), e);
        } finally {
            running.set(false);
            stopped.countDown();
        }
    }

    /**
     * Static group membership (the transactional id as instance id): a restarted resource manager takes
     * its partitions back at once instead of waiting for the killed one's session to time out.
     */
    private Map<String, Object> consumerProperties() {
        Map<String, Object> p = config.kafka().consumer("cms-rm", "cms-rm");
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.transactionalId());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }

    /**
     * Once a second, level-triggered repairs: stop nodes whose drain timed out (each once per run of
     * this loop; a stop is idempotent, so a restarted resource manager repeating one does no harm), and
     * launch the NEW nodes of elastic pods that can now be placed.
     */
    private void tick(KafkaProducer<String, byte[]> producer, EventPublisher publisher) {
        Instant now = clock.instant();
        if (lastTick != null && now.isBefore(lastTick.plusSeconds(1))) {
            return;
        }
        lastTick = now;
        List<Node> overdue = DrainTimeouts.overdue(state, now, config.drainTimeout());
        stopsSent.retainAll(overdue.stream().map(Node::name).toList());
        List<Node> due = overdue.stream().filter(n -> !stopsSent.contains(n.name())).toList();
        Outcome launches = scaling.launchWaiting(state, now);
        if (due.isEmpty() && launches.commands().isEmpty()) {
            return;
        }
        CloudState before = state;
        producer.beginTransaction();
        try {
            for (Node n : due) {
                LOG.info("node={} pod={} not drained within {}; stopping it", n.name(), n.pod(), config.drainTimeout());
                publisher.publish(Topics.COMMANDS, new NodeCommand.StopNode(Ids.next(), 1, now, n.hostId(), n.name(),
                        n.pod()));
            }
            publish(launches, publisher);
            producer.commitTransaction();
            due.forEach(n -> stopsSent.add(n.name()));
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("repairs not sent, retrying: {}", e.toString());
            producer.abortTransaction();
            state = before;
        }
    }

    private void pollOnce(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
                          EventPublisher publisher, DeadLetters deadLetters) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
        tick(producer, publisher);
        if (records.isEmpty()) {
            return;
        }
        CloudState before = state;
        producer.beginTransaction();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : records) {
                handle(r, publisher, deadLetters);
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("transaction aborted, re-reading the batch: {}", e.toString());
            producer.abortTransaction();
            state = before;
            rewind(c, records);
        }
    }

    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            c.seek(tp, records.records(tp).get(0).offset());
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r, EventPublisher publisher, DeadLetters deadLetters) {
        Topics topic = Topics.byName(r.topic());
        try {
            switch (topic) {
                case ADMIN_REQUESTS -> {
                    AdminRequest request = codec.decode(r.value(), AdminRequest.class);
                    Outcome outcome = decisions.decide(state, request, clock.instant());
                    publish(outcome, publisher);
                    Outcome.Reply reply = outcome.reply();
                    LOG.info("request={} {} -> {} {}", request.eventId(), request.getClass().getSimpleName(),
                            reply.status(), reply.message());
                    publisher.publish(Topics.ADMIN_REPLIES, new AdminReply(Ids.next(), 1, clock.instant(),
                            request.eventId(), reply.status(), reply.field(), reply.message(),
                            reply.body() == null ? null : codec.mapper().valueToTree(reply.body())));
                }
                case NODE_EVENTS -> {
                    NodeEvent event = codec.decode(r.value(), NodeEvent.class);
                    publish(ObservedDecisions.apply(state, event, clock.instant()), publisher);
                }
                case HOST_EVENTS -> state = ObservedDecisions.apply(state, codec.decode(r.value(), HostEvent.class));
                case SCALING -> {
                    ScalingDecision decision = codec.decode(r.value(), ScalingDecision.class);
                    LOG.info("pod={} scaling {} -> {}: {}", decision.pod(), decision.fromNodes(), decision.toNodes(),
                            decision.reason());
                    publish(scaling.apply(state, decision, clock.instant()), publisher);
                }
                default -> deadLetters.send(r, "the resource manager does not read topic " + r.topic());
            }
        } catch (UndecodableRecordException | IllegalArgumentException e) {
            deadLetters.send(r, e.getMessage());
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("topic={} offset={} could not be applied", r.topic(), r.offset(), e);
            deadLetters.send(r, "could not be applied: " + e);
        }
    }

    private void publish(Outcome outcome, EventPublisher publisher) {
        state = outcome.state();
        for (var pod : outcome.changedPods()) {
            publisher.publish(Topics.PODS, new PodsRecord.PodSnapshot(Ids.next(), 1, clock.instant(), pod));
        }
        for (String removed : outcome.removedPods()) {
            publisher.tombstone(Topics.PODS, removed);
        }
        if (outcome.cloudChanged()) {
            publisher.publish(Topics.PODS, new PodsRecord.CloudSnapshot(Ids.next(), 1, clock.instant(),
                    state.initialised(), state.initialisedAt()));
        }
        for (var command : outcome.commands()) {
            publisher.publish(Topics.COMMANDS, command);
        }
    }

    /** The state as of the last applied input (for tests and diagnostics). */
    public CloudState state() {
        return state;
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            KafkaConsumer<String, byte[]> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }
        try {
            if (thread != null) {
                stopped.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
