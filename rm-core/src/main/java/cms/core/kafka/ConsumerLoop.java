package cms.core.kafka;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.metrics.ServiceMetrics;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one consumer loop of every CMS service: a thread that opens a consumer and a producer from their
 * suppliers, subscribes, and then polls and hands each record and each turn to its {@link LoopHandler}
 * until it is closed, under one fault policy ({@link Faults}): a record that cannot be read or applied
 * goes to dead-letter with the reason; a transient fault closes both clients, waits a doubling back-off
 * and opens new ones (the handler rebuilds its state in {@code onOpen}), for as long as it takes; a fatal
 * fault ends the loop and is reported to {@code onFatal} (which in a service ends the process so that its
 * supervisor starts it again). A transactional loop writes each poll's effects and its consumed offsets
 * in one Kafka transaction.
 */
public final class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);

    /** How the loop waits between attempts (tests pass one that returns at once). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Builder b;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Whether the loop's thread is in (or just entering) a poll; see {@link #wakeup()}. */
    private final AtomicBoolean polling = new AtomicBoolean();
    /** A turn was asked for: the next poll takes what is there without waiting. */
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Thread thread;
    private final CatchUpPoll catchUp;
    private volatile Consumer<String, byte[]> current;
    private volatile LoopHealth health;

    private ConsumerLoop(Builder b) {
        this.b = b;
        this.thread = new Thread(this::run, b.name);
        this.catchUp = new CatchUpPoll(b.catchUp, System::nanoTime);
        this.health = new LoopHealth(b.name, LoopHealth.State.STARTING, null, null, null, 0);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public ConsumerLoop start() {
        if (running.compareAndSet(false, true)) {
            if (b.liveness != null) {
                b.liveness.register(b.name, this::health);
            }
            thread.start();
        }
        return this;
    }

    /** Waits until the loop first read (a group: partitions assigned; assigned partitions: one poll). */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Asks for a turn soon (e.g. an answer came in that the next turn should handle): ends the current poll at once
     * if the loop is waiting in one, else makes its next poll not wait. A consumer's wakeup outside a poll would make
     * the next poll throw before it returns any record: under a steady stream of answers (one per job) every poll
     * would then come back empty, and the loop would handle answers but read no input (seen: jobs waited ~0.8 s on
     * the {@code jobs} topic at 250 jobs/s).
     */
    public void wakeup() {
        nudged.set(true);
        if (polling.get()) {
            interruptPoll();
        }
    }

    private void interruptPoll() {
        Consumer<String, byte[]> c = current;
        if (c != null) {
            c.wakeup();
        }
    }

    public LoopHealth health() {
        return health;
    }

    public String name() {
        return b.name;
    }

    private void run() {
        int failures = 0;
        try {
            while (running.get()) {
                Consumer<String, byte[]> consumer = null;
                Producer<String, byte[]> producer = null;
                AutoCloseable metered = null;
                try {
                    state(LoopHealth.State.STARTING, failures > 0);
                    producer = b.producers.get();
                    if (b.transactional) {
                        producer.initTransactions();
                    }
                    consumer = b.consumers.get();
                    current = consumer;
                    metered = b.metrics.bind(consumer, b.name);
                    EventPublisher publisher = new EventPublisher(producer, b.codec, b.metrics.tap());
                    LoopSession session = new LoopSession(consumer, publisher, new DeadLetters(publisher, b.name,
                            b.clock));
                    b.handler.onOpen(session);
                    subscribe(consumer);
                    PendingOffsets pending = new PendingOffsets(b.holdQuietOffsets);
                    while (running.get()) {
                        turn(consumer, producer, session, pending);
                        if (failures > 0) {
                            LOG.info("loop={} working again after {} failed attempt(s)", b.name, failures);
                            failures = 0;
                        }
                        progress();
                    }
                } catch (WakeupException e) {
                    if (running.get()) {
                        failures = fault(e, ++failures);
                    }
                } catch (Throwable t) {
                    if (!running.get()) {
                        break;
                    }
                    failures = fault(t, ++failures);
                } finally {
                    current = null;
                    closeQuietly(metered);
                    closeQuietly(consumer, producer);
                }
                if (failures < 0) {
                    return;
                }
                if (failures > 0 && running.get()) {
                    b.handler.onAbandon();
                    pause(b.backoff.after(failures));
                }
            }
        } finally {
            if (health.state() != LoopHealth.State.FAILED) {
                health = new LoopHealth(b.name, LoopHealth.State.STOPPED, health.lastProgress(), null,
                        health.lastFault(), health.reopened());
            }
            running.set(false);
            ended.countDown();
        }
    }

    /** Returns the failures in a row, or -1 when the fault is fatal and the loop ends. */
    private int fault(Throwable t, int failures) {
        String reason = Faults.describe(t);
        Instant now = b.clock.instant();
        if (Faults.ofLoop(t) == Faults.Kind.FATAL) {
            LOG.error("loop={} cannot go on: {}", b.name, reason, t);
            health = new LoopHealth(b.name, LoopHealth.State.FAILED, health.lastProgress(), now, reason,
                    health.reopened());
            b.onFatal.accept(b.name + ": " + reason);
            return -1;
        }
        if (failures == 1) {
            LOG.warn("loop={} {}; backing off and opening new clients (retrying until it works)", b.name, reason);
        } else {
            LOG.debug("loop={} attempt {} failed: {}", b.name, failures, reason);
        }
        Instant since = health.faultSince() != null ? health.faultSince() : now;
        health = new LoopHealth(b.name, LoopHealth.State.RETRYING, health.lastProgress(), since, reason,
                health.reopened() + 1);
        return failures;
    }

    private void pause(Duration d) {
        try {
            if (b.sleeper != null) {
                b.sleeper.sleep(d);
            } else {
                stopSignal.await(d.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private void subscribe(Consumer<String, byte[]> c) {
        if (b.subscription instanceof Subscription.Group g) {
            c.subscribe(g.topics().stream().map(Topics::topicName).toList(), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    ready.countDown();
                }
            });
        } else if (b.subscription instanceof Subscription.Assigned a) {
            List<TopicPartition> begin = partitions(c, a.fromBeginning());
            List<TopicPartition> end = partitions(c, a.fromEnd());
            List<TopicPartition> window = partitions(c, a.fromWindow());
            List<TopicPartition> all = new ArrayList<>(begin);
            all.addAll(end);
            all.addAll(window);
            c.assign(all);
            // an empty list would mean every assigned partition to the consumer's seeks: never pass one
            if (!begin.isEmpty()) {
                c.seekToBeginning(begin);
            }
            if (!end.isEmpty()) {
                c.seekToEnd(end);
                end.forEach(c::position); // the end as of now: nothing written after the loop opened is missed
            }
            seekToWindow(c, window, b.clock.millis() - a.window().toMillis());
        } else if (b.subscription instanceof Subscription.Positioned p) {
            List<TopicPartition> all = partitions(c, List.of(p.topic()));
            c.assign(all);
            Map<Integer, Long> at = p.positions().get();
            for (TopicPartition tp : all) {
                Long offset = at.get(tp.partition());
                if (offset == null) {
                    c.seekToEnd(List.of(tp));
                    c.position(tp);
                } else {
                    c.seek(tp, offset);
                }
            }
        }
    }

    /** Each partition to its first record written at or after {@code since} (epoch ms), or to its end. */
    private static void seekToWindow(Consumer<String, byte[]> c, List<TopicPartition> partitions, long since) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(tp -> times.put(tp, since));
        for (Map.Entry<TopicPartition, OffsetAndTimestamp> e : c.offsetsForTimes(times).entrySet()) {
            if (e.getValue() == null) {
                c.seekToEnd(List.of(e.getKey()));
            } else {
                c.seek(e.getKey(), e.getValue().offset());
            }
        }
    }

    private static List<TopicPartition> partitions(Consumer<String, byte[]> c, List<Topics> topics) {
        List<TopicPartition> out = new ArrayList<>();
        for (Topics t : topics) {
            var infos = Objects.requireNonNull(c.partitionsFor(t.topicName()), "no partitions of " + t.topicName());
            infos.forEach(p -> out.add(new TopicPartition(p.topic(), p.partition())));
        }
        return out;
    }

    private void turn(Consumer<String, byte[]> c, Producer<String, byte[]> p, LoopSession session,
                      PendingOffsets pending) {
        List<ConsumerRecord<String, byte[]>> records = poll(c);
        if (!(b.subscription instanceof Subscription.Group)) {
            ready.countDown();
        }
        Instant now = b.clock.instant();
        if (!b.transactional) {
            records.forEach(r -> handle(r, session));
            b.handler.onTurn(now, session);
            if (!records.isEmpty() && b.subscription instanceof Subscription.Group) {
                c.commitSync();
            }
            return;
        }
        if (records.isEmpty() && !b.handler.wantsTurn(now) && !pending.due(false, now)) {
            return;
        }
        p.beginTransaction();
        long sentBefore = session.publisher().sent();
        for (ConsumerRecord<String, byte[]> r : records) {
            handle(r, session);
            pending.handled(new TopicPartition(r.topic(), r.partition()), r.offset(), now);
        }
        b.handler.onTurn(now, session);
        if (pending.due(session.publisher().sent() != sentBefore, now)) {
            p.sendOffsetsToTransaction(pending.take(), c.groupMetadata());
        }
        p.commitTransaction(); // nothing sent and no offsets: the producer ends it without a request
        b.handler.afterCommit(session);
    }

    private List<ConsumerRecord<String, byte[]>> poll(Consumer<String, byte[]> c) {
        // polling is set before nudged is read, and wakeup() sets nudged before it reads polling: a nudge is seen by
        // one or the other, so it either shortens this poll or ends it
        polling.set(true);
        try {
            return catchUp.poll(c, nudged.getAndSet(false) ? Duration.ZERO : b.pollTimeout);
        } catch (WakeupException e) {
            if (!running.get()) {
                throw e;
            }
            return List.of();
        } finally {
            polling.set(false);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r, LoopSession session) {
        try {
            b.handler.onRecord(r, session);
        } catch (Exception e) {
            if (Faults.ofRecord(e) != Faults.Kind.RECORD) {
                throw (RuntimeException) e;
            }
            boolean expected = e instanceof UndecodableRecordException || e instanceof IllegalArgumentException;
            if (!expected) {
                LOG.error("loop={} topic={} offset={} could not be applied", b.name, r.topic(), r.offset(), e);
            }
            session.deadLetter(r, expected ? e.getMessage() : "could not be applied: " + Faults.describe(e));
        }
    }

    private void state(LoopHealth.State state, boolean keepFault) {
        LoopHealth h = health;
        health = new LoopHealth(b.name, state, h.lastProgress(), keepFault ? h.faultSince() : null,
                keepFault ? h.lastFault() : null, h.reopened());
    }

    private void progress() {
        LoopHealth h = health;
        health = new LoopHealth(b.name, LoopHealth.State.RUNNING, b.clock.instant(), null, null, h.reopened());
    }

    private static void closeQuietly(AutoCloseable meters) {
        try {
            if (meters != null) {
                meters.close();
            }
        } catch (Exception e) {
            LOG.debug("closing a consumer's meters: {}", e.toString());
        }
    }

    private static void closeQuietly(Consumer<String, byte[]> c, Producer<String, byte[]> p) {
        try {
            if (c != null) {
                c.close(Duration.ZERO);
            }
        } catch (RuntimeException e) {
            LOG.debug("closing a consumer: {}", e.toString());
        }
        try {
            if (p != null) {
                p.close(Duration.ZERO);
            }
        } catch (RuntimeException e) {
            LOG.debug("closing a producer: {}", e.toString());
        }
    }

    /** Stops the loop: ends its poll or back-off, waits for the thread (at most 15 s); only the first call acts. */
    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            stopSignal.countDown();
            interruptPoll();
            try {
                if (!ended.await(15, TimeUnit.SECONDS)) {
                    LOG.warn("loop={} did not end within 15 s", b.name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (b.liveness != null) {
            b.liveness.unregister(b.name);
        }
    }

    /** How a loop is made; every part but the sleeper, liveness and fatal handler is required. */
    public static final class Builder {
        private final String name;
        private Supplier<Consumer<String, byte[]>> consumers;
        private Supplier<Producer<String, byte[]>> producers;
        private boolean transactional;
        private Subscription subscription;
        private LoopHandler handler;
        private EventCodec codec;
        private Clock clock = Clock.systemUTC();
        private Backoff backoff = Backoff.KAFKA;
        private Sleeper sleeper;
        private Liveness liveness;
        private java.util.function.Consumer<String> onFatal = reason -> { };
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration holdQuietOffsets = Duration.ZERO;
        private Duration catchUp = Duration.ZERO;
        private ServiceMetrics metrics = ServiceMetrics.none();

        private Builder(String name) {
            this.name = name;
        }

        public Builder consumer(Supplier<Consumer<String, byte[]>> s) {
            consumers = s;
            return this;
        }

        /** The producer for effects and dead letters; transactional: each poll's effects in one transaction. */
        public Builder producer(Supplier<Producer<String, byte[]>> s, boolean transactional) {
            producers = s;
            this.transactional = transactional;
            return this;
        }

        public Builder subscription(Subscription s) {
            subscription = s;
            return this;
        }

        public Builder handler(LoopHandler h) {
            handler = h;
            return this;
        }

        public Builder codec(EventCodec c) {
            codec = c;
            return this;
        }

        public Builder clock(Clock c) {
            clock = c;
            return this;
        }

        public Builder backoff(Backoff value) {
            backoff = value;
            return this;
        }

        public Builder sleeper(Sleeper s) {
            sleeper = s;
            return this;
        }

        public Builder liveness(Liveness l) {
            liveness = l;
            return this;
        }

        /** Told the reason when the loop meets a fault it cannot ride out (after it has logged it). */
        public Builder onFatal(java.util.function.Consumer<String> f) {
            onFatal = f;
            return this;
        }

        public Builder pollTimeout(Duration d) {
            pollTimeout = d;
            return this;
        }

        /**
         * A transactional loop: how long the offsets of polls that wrote nothing may wait for a transaction that
         * writes something ({@link PendingOffsets}); zero (the default) commits them with every poll.
         */
        public Builder holdQuietOffsets(Duration d) {
            holdQuietOffsets = d;
            return this;
        }

        /**
         * After a poll that returned buffered records at once, one more poll of at most {@code d} for the records that
         * reached the broker since ({@link CatchUpPoll}); zero (the default): none.
         */
        public Builder catchUp(Duration d) {
            catchUp = Objects.requireNonNull(d, "catchUp");
            return this;
        }

        /** The service's meters: the consumer's lag, and what the loop publishes ({@link ServiceMetrics#tap()}). */
        public Builder metrics(ServiceMetrics m) {
            metrics = Objects.requireNonNull(m, "metrics");
            return this;
        }

        public ConsumerLoop build() {
            Objects.requireNonNull(consumers, "consumer");
            Objects.requireNonNull(producers, "producer");
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(codec, "codec");
            if (transactional && !(subscription instanceof Subscription.Group)) {
                throw new IllegalArgumentException("a transactional loop reads as a group member");
            }
            return new ConsumerLoop(this);
        }
    }
}
