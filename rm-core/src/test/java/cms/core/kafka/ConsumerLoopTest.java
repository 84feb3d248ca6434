package cms.core.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.DeadLetter;
import cms.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fault policy of the one consumer loop, one kind of fault per test, with kafka-clients' own
 * MockConsumer and MockProducer: poison goes to dead-letter and the loop goes on; a transient fault
 * anywhere (poll, init, commit) means new clients after a doubling back-off and a rebuilt state; a fatal
 * fault ends the loop and says why; nothing of an uncommitted transaction counts.
 */
class ConsumerLoopTest {

    private static final TopicPartition JOBS = new TopicPartition(Topics.JOBS.topicName(), 0);

    private final EventCodec codec = new EventCodec();
    private final List<MockConsumer<String, byte[]>> consumers = new CopyOnWriteArrayList<>();
    private final List<MockProducer<String, byte[]>> producers = new CopyOnWriteArrayList<>();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicReference<String> fatal = new AtomicReference<>();
    /** Records each new consumer is given, in order, one batch per new consumer. */
    private final ConcurrentLinkedQueue<List<String>> batches = new ConcurrentLinkedQueue<>();
    /** Faults each new producer is given. */
    private final ConcurrentLinkedQueue<java.util.function.Consumer<MockProducer<String, byte[]>>> producerFaults =
            new ConcurrentLinkedQueue<>();
    private ConsumerLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }

    private MockConsumer<String, byte[]> newConsumer() {
        MockConsumer<String, byte[]> c = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        List<String> values = batches.poll();
        c.schedulePollTask(() -> {
            c.rebalance(List.of(JOBS));
            c.updateBeginningOffsets(Map.of(JOBS, 0L));
            long offset = 0;
            for (String v : values == null ? List.<String>of() : values) {
                c.addRecord(new ConsumerRecord<>(JOBS.topic(), 0, offset++, "k", v.getBytes(StandardCharsets.UTF_8)));
            }
        });
        consumers.add(c);
        return c;
    }

    private MockProducer<String, byte[]> newProducer() {
        MockProducer<String, byte[]> p = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        var fault = producerFaults.poll();
        if (fault != null) {
            fault.accept(p);
        }
        producers.add(p);
        return p;
    }

    private ConsumerLoop start(boolean transactional, LoopHandler handler) {
        loop = ConsumerLoop.builder("test").consumer(this::newConsumer).producer(this::newProducer, transactional)
                .subscription(Subscription.group(Topics.JOBS)).handler(handler).codec(codec)
                .sleeper(sleeps::add).onFatal(fatal::set).pollTimeout(Duration.ofMillis(1)).build().start();
        return loop;
    }

    /** Handles "ok-*" records, throws what the others name. */
    private LoopHandler handler() {
        return new LoopHandler() {
            @Override
            public void onOpen(LoopSession session) {
                opened.incrementAndGet();
            }

            @Override
            public void onRecord(ConsumerRecord<String, byte[]> r, LoopSession session) throws Exception {
                String v = new String(r.value(), StandardCharsets.UTF_8);
                switch (v) {
                    case "undecodable" -> throw new UndecodableRecordException("not JSON: " + v);
                    case "bug" -> throw new IllegalStateException("the handler has a bug");
                    case "timeout" -> throw new TimeoutException("broker away");
                    case "denied" -> throw new AuthorizationException("not allowed to write commands");
                    default -> handled.add(v);
                }
            }

            @Override
            public void onAbandon() {
                abandoned.incrementAndGet();
            }
        };
    }

    private List<DeadLetter> deadLetters() throws Exception {
        List<DeadLetter> out = new ArrayList<>();
        for (MockProducer<String, byte[]> p : producers) {
            for (ProducerRecord<String, byte[]> r : p.history()) {
                if (r.topic().equals(Topics.DEAD_LETTER.topicName())) {
                    out.add(codec.decode(r.value(), DeadLetter.class));
                }
            }
        }
        return out;
    }

    @Test
    void poisonGoesToDeadLetterInTheTransactionAndTheLoopGoesOn() throws Exception {
        batches.add(List.of("ok-1", "undecodable", "bug", "ok-2"));
        start(true, handler());
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 2
                && producers.get(0).transactionCommitted());
        assertEquals(List.of("ok-1", "ok-2"), handled);
        List<DeadLetter> letters = deadLetters();
        assertEquals(2, letters.size());
        assertEquals("not JSON: undecodable", letters.get(0).reason());
        assertEquals(1, letters.get(0).offset());
        assertTrue(letters.get(1).reason().startsWith("could not be applied: IllegalStateException: the handler has a bug"),
                letters.get(1).reason());
        assertEquals(Map.of(JOBS, 4L), committedOffsets(producers.get(0)));
        assertEquals(1, opened.get());
        assertEquals(LoopHealth.State.RUNNING, loop.health().state());
        assertEquals(null, fatal.get());
    }

    private static Map<TopicPartition, Long> committedOffsets(MockProducer<String, byte[]> p) {
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        p.consumerGroupOffsetsHistory().forEach(m -> m.values().forEach(g -> g.forEach((tp, o) -> out.put(tp, o.offset()))));
        return out;
    }

    /**
     * A turn asked for while the loop is not polling (an answer that came in during the last transaction, as the
     * resource manager's are at every turn under load) must not make the next poll come back empty: records that
     * arrive meanwhile are read.
     */
    @Test
    void aTurnAskedForAtEveryTurnStillLetsThePollsReadRecords() {
        MockConsumer<String, byte[]> c = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        c.schedulePollTask(() -> {
            c.rebalance(List.of(JOBS));
            c.updateBeginningOffsets(Map.of(JOBS, 0L));
        });
        AtomicInteger turns = new AtomicInteger();
        LoopHandler base = handler();
        LoopHandler asking = new LoopHandler() {
            @Override
            public void onRecord(ConsumerRecord<String, byte[]> r, LoopSession session) throws Exception {
                base.onRecord(r, session);
            }

            @Override
            public void onTurn(java.time.Instant now, LoopSession session) {
                turns.incrementAndGet();
                ConsumerLoop l = loop;
                if (l != null) {
                    l.wakeup(); // as an answer arriving before the next poll does
                }
            }
        };
        loop = ConsumerLoop.builder("test").consumer(() -> c).producer(this::newProducer, true)
                .subscription(Subscription.group(Topics.JOBS)).handler(asking).codec(codec)
                .sleeper(sleeps::add).onFatal(fatal::set).pollTimeout(Duration.ofMillis(50)).build().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> turns.get() > 5);
        for (int i = 0; i < 3; i++) {
            c.addRecord(new ConsumerRecord<>(JOBS.topic(), 0, i, "k", ("ok-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
        assertEquals(List.of("ok-0", "ok-1", "ok-2"), handled);
        assertEquals(null, fatal.get());
    }

    @Test
    void aTransientFaultInAHandlerMeansNewClientsAndTheBatchReadAgain() throws Exception {
        batches.add(List.of("ok-1", "timeout"));
        batches.add(List.of("ok-1", "ok-2"));
        start(true, handler());
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("ok-2"));
        // the first session's work was never committed: ok-1 handled again by the second
        assertEquals(List.of("ok-1", "ok-1", "ok-2"), handled);
        assertTrue(producers.get(0).closed() && consumers.get(0).closed(), "the failed clients are closed");
        assertTrue(!producers.get(0).transactionCommitted());
        assertEquals(2, opened.get());
        assertEquals(1, abandoned.get());
        assertEquals(List.of(Backoff.KAFKA.first()), sleeps);
        assertTrue(deadLetters().isEmpty(), "a broker fault is not the record's fault");
    }

    @Test
    void aCommitThatTimesOutIsNotAbortedButTheClientsAreReplaced() {
        producerFaults.add(p -> p.commitTransactionException = new TimeoutException("commit timed out"));
        batches.add(List.of("ok-1"));
        batches.add(List.of("ok-1"));
        start(true, handler());
        await().atMost(Duration.ofSeconds(10)).until(() -> producers.size() == 2 && producers.get(1).transactionCommitted());
        assertTrue(!producers.get(0).transactionAborted(), "abortTransaction after a timed-out commit is illegal");
        assertTrue(producers.get(0).closed());
        assertEquals(Map.of(JOBS, 1L), committedOffsets(producers.get(1)));
        assertEquals(LoopHealth.State.RUNNING, loop.health().state());
        assertEquals(1, loop.health().reopened());
    }

    @Test
    void aBrokerAwayForLongIsWaitedOutWithADoublingBackoff() {
        for (int i = 0; i < 8; i++) {
            producerFaults.add(p -> p.initTransactionException = new TimeoutException("no broker"));
        }
        batches.add(List.of("ok-1"));
        start(true, handler());
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("ok-1"));
        assertEquals(List.of(200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L),
                sleeps.stream().map(Duration::toMillis).toList());
        assertEquals(null, fatal.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.health().state() == LoopHealth.State.RUNNING);
        assertEquals(null, loop.health().lastFault());
    }

    @Test
    void aPollFaultInANonTransactionalLoopOpensNewClients() {
        batches.add(List.of("ok-1"));
        batches.add(List.of("ok-2"));
        start(false, handler());
        // a non-transactional group loop commits after the batch is handled
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("ok-1")
                && consumers.get(0).committed(java.util.Set.of(JOBS)).get(JOBS) != null
                && consumers.get(0).committed(java.util.Set.of(JOBS)).get(JOBS).offset() == 1L);
        consumers.get(0).setPollException(new org.apache.kafka.common.KafkaException("connection reset"));
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("ok-2"));
        assertEquals(2, consumers.size());
        assertTrue(consumers.get(0).closed());
        assertEquals(2, opened.get());
    }

    @Test
    void aFatalFaultEndsTheLoopAndSaysWhy() {
        batches.add(List.of("ok-1", "denied", "ok-2"));
        start(true, handler());
        await().atMost(Duration.ofSeconds(10)).until(() -> fatal.get() != null);
        assertTrue(fatal.get().startsWith("test: AuthorizationException: not allowed to write commands"), fatal.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> loop.health().state() == LoopHealth.State.FAILED);
        assertEquals(List.of("ok-1"), handled);
        assertEquals(1, consumers.size(), "no new clients after a fatal fault");
        assertTrue(!new Liveness(java.time.Clock.systemUTC()).up(loop.health()));
    }

    @Test
    void healthSaysRetryingWhileRidingOutAFault() {
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        producerFaults.add(p -> p.initTransactionException = new TimeoutException("no broker"));
        batches.add(List.of("ok-1"));
        loop = ConsumerLoop.builder("test").consumer(this::newConsumer).producer(this::newProducer, true)
                .subscription(Subscription.group(Topics.JOBS)).handler(handler()).codec(codec)
                .sleeper(d -> hold.await()).pollTimeout(Duration.ofMillis(1)).build().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.health().state() == LoopHealth.State.RETRYING);
        LoopHealth h = loop.health();
        assertTrue(h.lastFault().contains("no broker"), h.lastFault());
        assertTrue(h.faultSince() != null && !h.faultSince().isAfter(Instant.now()));
        hold.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("ok-1"));
    }

    @Test
    void closeEndsTheLoopOnce() {
        batches.add(List.of());
        start(true, handler());
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.health().state() == LoopHealth.State.RUNNING);
        loop.close();
        loop.close();
        assertEquals(LoopHealth.State.STOPPED, loop.health().state());
        assertTrue(consumers.get(0).closed() && producers.get(0).closed());
    }

    /**
     * An assigned loop's three start positions: a compacted topic from its start, a topic from its end as of
     * the opening (what is written after is read), and a topic from the first record of the window (found
     * with offsetsForTimes at now − window; a partition without one is read from its end).
     */
    @Test
    void anAssignedLoopStartsEachTopicWhereItIsAskedTo() {
        Instant now = Instant.parse("2025-03-01T10:00:00Z");
        Duration window = Duration.ofMinutes(15);
        TopicPartition pods = new TopicPartition(Topics.PODS.topicName(), 0);
        TopicPartition jobs = new TopicPartition(Topics.JOB_EVENTS.topicName(), 0);
        TopicPartition metrics0 = new TopicPartition(Topics.METRICS.topicName(), 0);
        TopicPartition metrics1 = new TopicPartition(Topics.METRICS.topicName(), 1);
        Map<TopicPartition, Long> askedFor = new java.util.concurrent.ConcurrentHashMap<>();
        MockConsumer<String, byte[]> c = new SeekingAsKafkaDoes() {
            @Override
            public synchronized Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> offsetsForTimes(
                    Map<TopicPartition, Long> times) {
                askedFor.putAll(times);
                Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> out = new java.util.HashMap<>();
                times.keySet().forEach(tp -> out.put(tp, tp.equals(metrics0)
                        ? new org.apache.kafka.clients.consumer.OffsetAndTimestamp(3, times.get(tp)) : null));
                return out;
            }
        };
        for (TopicPartition tp : List.of(pods, jobs, metrics0, metrics1)) {
            List<org.apache.kafka.common.PartitionInfo> infos = new ArrayList<>(c.partitionsFor(tp.topic()));
            infos.add(new org.apache.kafka.common.PartitionInfo(tp.topic(), tp.partition(), null, null, null));
            c.updatePartitions(tp.topic(), infos);
        }
        c.updateBeginningOffsets(Map.of(pods, 0L, jobs, 0L, metrics0, 0L, metrics1, 0L));
        c.updateEndOffsets(Map.of(pods, 2L, jobs, 1L, metrics0, 5L, metrics1, 2L));
        c.schedulePollTask(() -> {
            add(c, pods, 0, 1);
            add(c, jobs, 0, 1); // offset 1: written after the loop opened
            add(c, metrics0, 0, 4);
            add(c, metrics1, 0, 1);
        });
        consumers.add(c);
        loop = ConsumerLoop.builder("test").consumer(() -> c).producer(this::newProducer, false)
                .subscription(new Subscription.Assigned(List.of(Topics.PODS), List.of(Topics.JOB_EVENTS),
                        List.of(Topics.METRICS), window))
                .handler(handler()).codec(codec).clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC))
                .sleeper(sleeps::add).onFatal(fatal::set).pollTimeout(Duration.ofMillis(1)).build().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 5);
        assertEquals(java.util.stream.Stream.of("ok-" + pods + "@0", "ok-" + pods + "@1", "ok-" + jobs + "@1",
                "ok-" + metrics0 + "@3", "ok-" + metrics0 + "@4").sorted().toList(), handled.stream().sorted().toList());
        long since = now.minus(window).toEpochMilli();
        assertEquals(Map.of(metrics0, since, metrics1, since), askedFor);
        assertEquals(null, fatal.get());
    }

    private static void add(MockConsumer<String, byte[]> c, TopicPartition tp, long from, long to) {
        for (long o = from; o <= to; o++) {
            c.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), o, "k",
                    ("ok-" + tp + "@" + o).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * A MockConsumer whose seeks to the beginning or end of an empty collection move every assigned
     * partition, as KafkaConsumer's do.
     */
    private static class SeekingAsKafkaDoes extends MockConsumer<String, byte[]> {
        SeekingAsKafkaDoes() {
            super(AutoOffsetResetStrategy.NONE.name());
        }

        @Override
        public synchronized void seekToBeginning(java.util.Collection<TopicPartition> partitions) {
            super.seekToBeginning(partitions.isEmpty() ? assignment() : partitions);
        }

        @Override
        public synchronized void seekToEnd(java.util.Collection<TopicPartition> partitions) {
            super.seekToEnd(partitions.isEmpty() ? assignment() : partitions);
        }
    }

    @Test
    void aLoopThatReadsOnlyFromTheBeginningReadsEverything() {
        MockConsumer<String, byte[]> c = new SeekingAsKafkaDoes();
        c.updatePartitions(JOBS.topic(), List.of(new org.apache.kafka.common.PartitionInfo(JOBS.topic(), 0, null, null,
                null)));
        c.updateBeginningOffsets(Map.of(JOBS, 0L));
        c.updateEndOffsets(Map.of(JOBS, 3L));
        c.schedulePollTask(() -> add(c, JOBS, 0, 2));
        consumers.add(c);
        loop = ConsumerLoop.builder("test").consumer(() -> c).producer(this::newProducer, false)
                .subscription(Subscription.fromBeginning(Topics.JOBS)).handler(handler()).codec(codec)
                .sleeper(sleeps::add).onFatal(fatal::set).pollTimeout(Duration.ofMillis(1)).build().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
        assertEquals(List.of("ok-" + JOBS + "@0", "ok-" + JOBS + "@1", "ok-" + JOBS + "@2"), handled);
    }

    @Test
    void aPositionedLoopReadsEachPartitionFromTheOffsetItsHandlerChoseAtOpenOrFromItsEnd() {
        TopicPartition p0 = new TopicPartition(Topics.JOB_EVENTS.topicName(), 0);
        TopicPartition p1 = new TopicPartition(Topics.JOB_EVENTS.topicName(), 1);
        MockConsumer<String, byte[]> c = new SeekingAsKafkaDoes();
        c.updatePartitions(p0.topic(), List.of(
                new org.apache.kafka.common.PartitionInfo(p0.topic(), 0, null, null, null),
                new org.apache.kafka.common.PartitionInfo(p0.topic(), 1, null, null, null)));
        c.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
        c.updateEndOffsets(Map.of(p0, 5L, p1, 2L));
        c.schedulePollTask(() -> {
            add(c, p0, 0, 4);
            add(c, p1, 0, 2); // offset 2: written after the loop opened
        });
        consumers.add(c);
        Map<Integer, Long> chosen = new java.util.concurrent.ConcurrentHashMap<>();
        LoopHandler base = handler();
        LoopHandler choosing = new LoopHandler() {
            @Override
            public void onOpen(LoopSession session) {
                chosen.put(0, 3L); // e.g. the end offsets taken before reading a snapshot
            }

            @Override
            public void onRecord(ConsumerRecord<String, byte[]> r, LoopSession session) throws Exception {
                base.onRecord(r, session);
            }
        };
        loop = ConsumerLoop.builder("test").consumer(() -> c).producer(this::newProducer, false)
                .subscription(new Subscription.Positioned(Topics.JOB_EVENTS, () -> Map.copyOf(chosen)))
                .handler(choosing).codec(codec).sleeper(sleeps::add).onFatal(fatal::set)
                .pollTimeout(Duration.ofMillis(1)).build().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
        assertEquals(List.of("ok-" + p0 + "@3", "ok-" + p0 + "@4", "ok-" + p1 + "@2"),
                handled.stream().sorted().toList());
    }
}
