package cms.cli;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.JobEvent;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows {@code job-events} (committed records only) from the start, for tests and {@code cms bench chaos}:
 * every event of every job, in order. {@link #readAll} reads the topic again to its end, for the final count.
 */
final class JobEventsTap implements AutoCloseable {

    private final String bootstrap;
    private final EventCodec codec = new EventCodec();
    private final Map<String, List<JobEvent>> byJob = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ended = new ConcurrentHashMap<>();
    private final List<JobEvent> running = new CopyOnWriteArrayList<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Thread thread;

    JobEventsTap(String bootstrap) {
        this.bootstrap = bootstrap;
        cms.core.kafka.TopicCreator.ensureAll(new KafkaSettings(bootstrap)); // the tap may start before any service
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(new KafkaSettings(bootstrap)
                .consumer("it-job-events-tap", null));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_EVENTS.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(() -> {
            try (consumer) {
                while (open.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        JobEvent e = decode(r);
                        byJob.computeIfAbsent(e.jobId(), k -> new CopyOnWriteArrayList<>()).add(e);
                        if (e.terminal()) {
                            ended.put(e.jobId(), true);
                        } else if (e instanceof JobEvent.JobRunning) {
                            running.add(e);
                        }
                    }
                }
            }
        }, "it-job-events-tap");
        thread.start();
    }

    private JobEvent decode(ConsumerRecord<String, byte[]> r) {
        try {
            return codec.decode(r.value(), JobEvent.class);
        } catch (UndecodableRecordException e) {
            throw new IllegalStateException("unreadable job event at offset " + r.offset() + ": " + e.getMessage());
        }
    }

    /** Jobs with a terminal event seen so far. */
    int ended() {
        return ended.size();
    }

    /** RUNNING events seen so far. */
    int runningEvents() {
        return running.size();
    }

    List<JobEvent> events(String jobId) {
        return byJob.getOrDefault(jobId, List.of());
    }

    /** Every job's events as they are in the topic now, read to its end by a fresh consumer. */
    Map<String, List<JobEvent>> readAll() {
        Map<String, List<JobEvent>> out = new TreeMap<>();
        CompactedTopicReader.readAll(new KafkaSettings(bootstrap), "it-job-events-all", Topics.JOB_EVENTS,
                Duration.ofSeconds(60), r -> {
                    JobEvent e = decode(r);
                    out.computeIfAbsent(e.jobId(), k -> new ArrayList<>()).add(e);
                });
        return out;
    }

    /** The terminal events of one job's history. */
    static List<JobEvent> terminals(List<JobEvent> events) {
        return events.stream().filter(JobEvent::terminal).toList();
    }

    @Override
    public void close() throws InterruptedException {
        open.set(false);
        thread.join(5000);
    }
}
