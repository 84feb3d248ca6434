package cms.web.jobs;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.JobEvent;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.Liveness;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.Subscription;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The job API's reader: its {@link ConsumerLoop} reads {@code job-events} (committed records only) from
 * the start into the {@link JobTable}, without a consumer group (every web service reads everything). A
 * record it cannot read goes to dead-letter; after a Kafka fault new clients read the topic again from
 * its start (the table ignores what it already has: an ended job stays ended).
 */
public final class JobEventsReader implements AutoCloseable {

    public static final String LOOP = "cms-web-jobs";

    private final EventCodec codec;
    private final JobTable table;
    private final ConsumerLoop loop;

    public JobEventsReader(KafkaSettings kafka, EventCodec codec, JobTable table) {
        this(kafka, codec, table, Clock.systemUTC(), null, reason -> { });
    }

    /** {@code liveness} (may be null) gets the loop's health; {@code onFatal} is told when it cannot go on. */
    public JobEventsReader(KafkaSettings kafka, EventCodec codec, JobTable table, Clock clock, Liveness liveness,
                           java.util.function.Consumer<String> onFatal) {
        this.codec = codec;
        this.table = table;
        this.loop = ConsumerLoop.builder(LOOP)
                .consumer(() -> new KafkaConsumer<>(kafka.consumer(LOOP, null)))
                .producer(() -> new KafkaProducer<>(kafka.producer(LOOP, null)), false)
                .subscription(Subscription.fromBeginning(Topics.JOB_EVENTS))
                .handler((r, session) -> apply(r))
                .codec(codec).clock(clock).liveness(liveness).onFatal(onFatal)
                .pollTimeout(Duration.ofMillis(500)).build();
    }

    public JobEventsReader start() {
        loop.start();
        return this;
    }

    /** True once the topic's partitions are assigned and read once (reading has begun). */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return loop.awaitReady(timeout);
    }

    public LoopHealth health() {
        return loop.health();
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
