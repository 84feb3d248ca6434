package cms.web.jobs;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.JobEvent;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.LoopControl;
import cms.core.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job API's one consumer thread: reads {@code job-events} (committed records only) from the start
 * into the {@link JobTable}. No consumer group: every web service reads everything.
 */
public final class JobEventsReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobEventsReader.class);

    private final KafkaSettings kafka;
    private final EventCodec codec;
    private final JobTable table;
    private final LoopControl control = new LoopControl();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private Thread thread;

    public JobEventsReader(KafkaSettings kafka, EventCodec codec, JobTable table) {
        this.kafka = kafka;
        this.codec = codec;
        this.table = table;
    }

    public JobEventsReader start() {
        thread = new Thread(this::run, "cms-web-jobs");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** True once the topics' partitions are assigned (reading has begun). */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.consumer("cms-web-jobs", null))) {
            control.attach(c);
            List<TopicPartition> partitions = new ArrayList<>();
            c.partitionsFor(Topics.JOB_EVENTS.topicName(), Duration.ofSeconds(60))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            c.assign(partitions);
            c.seekToBeginning(partitions);
            assigned.countDown();
            while (control.running()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
            }
        } catch (WakeupException e) {
            if (control.running()) {
                LOG.error("job events reader woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("job events reader stopped: {}", e.toString(), e);
        } finally {
            control.ended();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        try {
            table.apply(codec.decode(r.value(), JobEvent.class));
        } catch (UndecodableRecordException e) {
            LOG.warn("topic={} partition={} offset={} skipped: {}", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        control.stop(Duration.ofSeconds(10));
    }
}
