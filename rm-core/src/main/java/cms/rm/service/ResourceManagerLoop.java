package cms.rm.service;

import cms.core.codec.EventCodec;
import cms.core.codec.JobIntake;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.HostEvent;
import cms.core.event.Ids;
import cms.core.event.JobEvent;
import cms.core.event.JobSubmission;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.DeadLetters;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.TopicCreator;
import cms.core.topic.Topics;
import cms.core.event.NodeCommand;
import cms.core.model.Node;
import cms.rm.model.AdminDecisions;
import cms.rm.model.DrainTimeouts;
import cms.rm.model.JobBook;
import cms.rm.model.NodeRepairs;
import cms.rm.model.Rejection;
import cms.rm.model.CloudState;
import cms.rm.model.ObservedDecisions;
import cms.rm.model.Outcome;
import cms.rm.model.ScalingDecisions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 *
 * <p>Jobs: it reads submissions from {@code jobs}, keeps each pod's queue in a {@link JobBook} (rebuilt
 * from {@code job-events} on start), and sends jobs through the pods' frontends with a
 * {@link JobDispatcher}. Every change of a job is a job event written in the same transaction as the
 * input that caused it; a job is sent only after its RUNNING event is committed, and an answer only
 * counts once its terminal event is: killed in between, the restarted manager sends the job again, and
 * it still ends once.
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
    private JobBook jobs;
    private JobDispatcher dispatcher;
    private boolean recoveryDue = true;
    private Instant lastJobSample;
    private final List<JobEvent> jobEventsInTransaction = new ArrayList<>();

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
                jobs = loadJobs();
                dispatcher = new JobDispatcher(codec.mapper(), config.frontendHost(), config.jobTimeout(), this::wake);
                c.subscribe(List.of(Topics.ADMIN_REQUESTS.topicName(), Topics.NODE_EVENTS.topicName(),
                        Topics.HOST_EVENTS.topicName(), Topics.SCALING.topicName(), Topics.JOBS.topicName()),
                        new ConsumerRebalanceListener() {
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
            if (dispatcher != null) {
                dispatcher.close();
            }
            running.set(false);
            stopped.countDown();
        }
    }

    private JobBook loadJobs() {
        JobBook book = new JobBook(config.jobLimits());
        int read = CompactedTopicReader.readAll(config.kafka(), "cms-rm-jobs-loader", Topics.JOB_EVENTS, LOAD_TIMEOUT,
                r -> {
                    try {
                        book.apply(codec.decode(r.value(), JobEvent.class));
                    } catch (UndecodableRecordException e) {
                        LOG.warn("topic=job-events partition={} offset={} skipped while rebuilding: {}", r.partition(),
                                r.offset(), e.getMessage());
                    }
                });
        LOG.info("jobs rebuilt from {} record(s) of {}: {} running, {} queued", read, Topics.JOB_EVENTS.topicName(),
                book.runningJobs().size(), book.podsWithJobs().stream().mapToInt(book::queued).sum());
        return book;
    }

    /**
     * An answer came in: end the wait for records so the thread handles it at once. Outside {@code poll}
     * the wake-up is kept by the consumer and ends the next {@code poll} at once, so an answer that comes
     * while a transaction commits does not wait for the poll timeout either.
     */
    private void wake() {
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
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
        Outcome repairs = NodeRepairs.plan(launches.state(), now, config.repairs(), config.placement());
        if (due.isEmpty() && launches.commands().isEmpty() && repairs.changedPods().isEmpty()) {
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
            publish(repairs, publisher);
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
        ConsumerRecords<String, byte[]> records = poll(c);
        tick(producer, publisher);
        List<JobDispatcher.Completion> answers = dispatcher.drain();
        Instant now = clock.instant();
        boolean sampleDue = lastJobSample == null || !now.isBefore(lastJobSample.plusSeconds(1));
        if (records.isEmpty() && answers.isEmpty() && !recoveryDue && !sampleDue && jobs.dispatch(state, now).isEmpty()) {
            return;
        }
        CloudState before = state;
        jobEventsInTransaction.clear();
        producer.beginTransaction();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            if (recoveryDue) {
                jobs.recover(dispatcher.inFlight(), now).forEach(e -> publishJob(e, publisher));
            }
            for (JobDispatcher.Completion a : answers) {
                jobs.answered(a.jobId(), a.attempt(), a.answer(), now).ifPresent(e -> publishJob(e, publisher));
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                handle(r, publisher, deadLetters);
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            // read the clock again: a job queued by a record of this batch must not seem to run before it was queued
            jobs.dispatch(state, clock.instant()).forEach(e -> publishJob(e, publisher));
            if (sampleDue) {
                publishJobSamples(publisher, now);
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, c.groupMetadata());
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("transaction aborted, re-reading the batch and the jobs: {}", e.toString());
            producer.abortTransaction();
            state = before;
            rewind(c, records);
            jobs = loadJobs();
            recoveryDue = true;
            return;
        }
        recoveryDue = false;
        if (sampleDue) {
            lastJobSample = now;
        }
        startCommittedJobs();
    }

    private ConsumerRecords<String, byte[]> poll(KafkaConsumer<String, byte[]> c) {
        try {
            return c.poll(Duration.ofMillis(200));
        } catch (WakeupException e) {
            if (!running.get()) {
                throw e;
            }
            return ConsumerRecords.empty();
        }
    }

    private void publishJob(JobEvent event, EventPublisher publisher) {
        publisher.publish(Topics.JOB_EVENTS, event);
        jobs.apply(event);
        jobEventsInTransaction.add(event);
        LOG.debug("job={} pod={} {}", event.jobId(), event.pod(), event.getClass().getSimpleName());
    }

    /** After the commit: send the jobs that are now RUNNING, stop waiting for those aborted. */
    private void startCommittedJobs() {
        for (JobEvent e : jobEventsInTransaction) {
            if (e instanceof JobEvent.JobRunning r) {
                var job = jobs.live(r.jobId());
                var pod = state.pod(r.pod());
                if (job.isPresent() && job.get().status() == JobBook.Status.RUNNING && job.get().attempt() == r.attempt()
                        && pod.isPresent() && pod.get().frontendPort() != null) {
                    dispatcher.send(job.get(), r.attempt(), pod.get().frontendPort(), pod.get().workload().jobPath());
                }
            } else if (e instanceof JobEvent.JobAborted a) {
                dispatcher.cancel(a.jobId());
            }
        }
        jobEventsInTransaction.clear();
    }

    /** Each pod's job queue depth and running jobs, once a second, for elasticity and the dashboard. */
    private void publishJobSamples(EventPublisher publisher, Instant now) {
        for (String pod : state.pods().keySet()) {
            publisher.publish(Topics.METRICS, new MetricSample.PodSample(Ids.next(), 1, now, pod, null, null, null,
                    null, null, null, null, jobs.queued(pod), null, MetricSample.PodSample.RESOURCE_MANAGER,
                    jobs.running(pod)));
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
                    Outcome.Reply reply;
                    if (request instanceof AdminRequest.AbortJob abort) {
                        reply = abortJob(abort, publisher);
                    } else {
                        Outcome outcome = decisions.decide(state, request, clock.instant());
                        publish(outcome, publisher);
                        reply = outcome.reply();
                    }
                    LOG.info("request={} {} -> {} {}", request.eventId(), request.getClass().getSimpleName(),
                            reply.status(), reply.message());
                    publisher.publish(Topics.ADMIN_REPLIES, new AdminReply(Ids.next(), 1, clock.instant(),
                            request.eventId(), reply.status(), reply.field(), reply.message(),
                            reply.body() == null ? null : codec.mapper().valueToTree(reply.body())));
                }
                case JOBS -> {
                    JobSubmission.JobSubmitted submitted = JobIntake.read(codec.mapper(), r.key(), r.value(),
                            r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()));
                    int bytes = submitted.payload() == null ? 0 : submitted.payload().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                    var source = r.headers().lastHeader(JobIntake.SOURCE_HEADER);
                    jobs.submit(submitted, bytes, source == null ? "kafka" : new String(source.value(),
                            java.nio.charset.StandardCharsets.UTF_8), state, clock.instant())
                            .ifPresent(e -> publishJob(e, publisher));
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

    private Outcome.Reply abortJob(AdminRequest.AbortJob request, EventPublisher publisher) {
        try {
            JobEvent aborted = jobs.abort(request.jobId(), request.reason(), clock.instant());
            publishJob(aborted, publisher);
            return Outcome.Reply.of(200, "job " + request.jobId() + " ABORTED",
                    Map.of("jobId", request.jobId(), "status", "ABORTED"));
        } catch (Rejection rejection) {
            return Outcome.Reply.rejected(rejection);
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
