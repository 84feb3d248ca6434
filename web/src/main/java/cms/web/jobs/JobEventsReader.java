package cms.web.jobs;

import cms.core.codec.EventCodec;
import cms.core.metrics.ServiceMetrics;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.Liveness;
import cms.core.kafka.LoopHandler;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.LoopSession;
import cms.core.kafka.Subscription;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job API's reader, without a consumer group (every web service reads everything), committed records only.
 * Each time its {@link ConsumerLoop} opens it takes the end offsets of {@code job-events}, then reads the compacted
 * {@code job-state} to its end into the {@link JobTable} (what is alive and the window of ended jobs, not all
 * history), then follows {@code job-events} from {@value #RESULTS_TAIL} records before those offsets: every change
 * after the state it read is seen, the ends of the last jobs bring their results (which {@code job-state} leaves
 * out), and the changes it had already (the state may be newer than the offsets) change nothing. When
 * {@code job-state} holds nothing yet (an upgrade) it reads {@code job-events} from their start. A record it cannot
 * read goes to dead-letter.
 */
public final class JobEventsReader implements AutoCloseable {

    public static final String LOOP = "cms-web-jobs";
    private static final Logger LOG = LoggerFactory.getLogger(JobEventsReader.class);
    /** How long reading {@code job-state} may go without progress before the loop opens again. */
    private static final Duration STALL = Duration.ofSeconds(60);
    /**
     * How many records of each {@code job-events} partition before the offsets taken at start are read again once
     * the table is loaded: the ends of the last jobs bring their results, which {@code job-state} leaves out (6
     * partitions: about the last 40 000 jobs).
     */
    static final long RESULTS_TAIL = 20_000;

    private final EventCodec codec;
    private final JobTable table;
    private final Clock clock;
    private final ConsumerLoop loop;
    private volatile Map<Integer, Long> eventsFrom = Map.of();

    public JobEventsReader(KafkaSettings kafka, EventCodec codec, JobTable table) {
        this(kafka, codec, table, Clock.systemUTC(), null, reason -> { });
    }

    /** {@code liveness} (may be null) gets the loop's health; {@code onFatal} is told when it cannot go on. */
    public JobEventsReader(KafkaSettings kafka, EventCodec codec, JobTable table, Clock clock, Liveness liveness,
                           java.util.function.Consumer<String> onFatal) {
        this(kafka, codec, table, clock, liveness, onFatal, ServiceMetrics.none(), () -> { });
    }

    /**
     * {@code metrics}: the web service's meters, which get this reader's consumer lag; {@code beforeLoad}: run on the
     * loop's thread once its clients are made, before it reads (e.g. waits for the topics to be checked, which can go
     * on meanwhile).
     */
    public JobEventsReader(KafkaSettings kafka, EventCodec codec, JobTable table, Clock clock, Liveness liveness,
                           java.util.function.Consumer<String> onFatal, ServiceMetrics metrics, Runnable beforeLoad) {
        this.codec = codec;
        this.table = table;
        this.clock = clock;
        this.loop = ConsumerLoop.builder(LOOP)
                // its first read is all of job-state (see load)
                .consumer(() -> new KafkaConsumer<>(CompactedTopicReader.bulk(kafka.consumer(LOOP, null))))
                .producer(() -> new KafkaProducer<>(kafka.producer(LOOP, null)), false)
                .subscription(new Subscription.Positioned(Topics.JOB_EVENTS, () -> eventsFrom))
                .handler(new LoopHandler() {
                    @Override
                    public void onOpen(LoopSession session) {
                        beforeLoad.run();
                        load(session);
                    }

                    @Override
                    public void onRecord(ConsumerRecord<String, byte[]> r, LoopSession session) throws Exception {
                        apply(r);
                    }
                })
                .codec(codec).clock(clock).liveness(liveness).onFatal(onFatal).metrics(metrics)
                .pollTimeout(Duration.ofMillis(500)).build();
    }

    public JobEventsReader start() {
        loop.start();
        return this;
    }

    /** True once the table holds {@code job-state} and {@code job-events} is followed (read once). */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return loop.awaitReady(timeout);
    }

    public LoopHealth health() {
        return loop.health();
    }

    /** The end offsets of {@code job-events} first, then {@code job-state} to its end into the table. */
    private void load(LoopSession session) {
        var consumer = session.consumer();
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_EVENTS.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        Map<Integer, Long> from = new HashMap<>();
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        consumer.endOffsets(partitions).forEach((tp, offset) -> from.put(tp.partition(),
                Math.max(begin.get(tp), offset - RESULTS_TAIL)));
        long start = System.nanoTime(); // for the log line only
        JobStateViews newest = new JobStateViews();
        // with the loop's own consumer, which then follows job-events (no second consumer to start); decoded, and made
        // the views the table holds, on a thread of their own while the next records are fetched
        int read = CompactedTopicReader.readAllAside(consumer, Topics.JOB_STATE, STALL, clock, LOOP + "-decode", r -> {
            try {
                newest.put(r.key(), r.value() == null ? null : codec.decodeJobState(r.value(), r.key()));
            } catch (UndecodableRecordException e) {
                newest.put(r.key(), null);
                LOG.warn("topic=job-state partition={} offset={} skipped: {}", r.partition(), r.offset(),
                        e.getMessage());
            }
        });
        if (read == 0) { // job-state never written (an upgrade, before the resource manager seeded it): all events
            begin.forEach((tp, offset) -> from.put(tp.partition(), offset));
        }
        long readAt = System.nanoTime();
        table.restoreAll(newest.inOrder()); // the oldest ended first, so they are forgotten first
        eventsFrom = Map.copyOf(from);
        LOG.info("jobs: {} record(s) of {} read, {} job(s) known (read in {} ms, restored in {} ms); following {} from "
                + "offsets {}", read, Topics.JOB_STATE.topicName(), newest.size(), (readAt - start) / 1_000_000,
                (System.nanoTime() - readAt) / 1_000_000, Topics.JOB_EVENTS.topicName(), from);
    }

    /** One record into the table; one that cannot be read throws (the loop sends it to dead-letter). */
    private void apply(ConsumerRecord<String, byte[]> r) throws UndecodableRecordException {
        table.apply(codec.decode(r.value(), JobEvent.class));
    }

    @Override
    public void close() {
        loop.close();
    }
}
