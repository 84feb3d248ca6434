package cms.cli;

import cms.core.codec.EventCodec;
import cms.core.event.Ids;
import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import cms.rm.model.JobBook;
import cms.rm.model.JobStates;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A long history of ended jobs put on a cluster fast: each job {@code old-i} (pod {@code pod}) QUEUED, RUNNING and
 * SUCCEEDED on {@code job-events}, one millisecond apart from the next, and on {@code job-state} the records the
 * resource manager writes with those events — built with its own code ({@link JobBook} with its limits and
 * {@link JobStates}), so this history cannot drift from what it writes — as compaction leaves them a day later: the
 * newest record of each key; the tombstones of ids that left the idempotency window are gone by then (the cleaner
 * drops them {@code delete.retention.ms}, 5 min, after cleaning), unless {@code tombstones} keeps them all (an upper
 * bound). Records carry their event's time as timestamp, so readers of a recent window (the live view) skip them.
 * A batching producer writes it.
 */
final class JobHistory {

    /** What was written: the ids of the first and last job, and whether the first one left the window. */
    record Written(String first, String last, boolean firstForgotten, int eventRecords, int stateRecords,
                   double seconds) {
    }

    private JobHistory() {
    }

    static String id(int i) {
        return "old-" + i;
    }

    /** {@code withState} false: only {@code job-events}, as a version before {@code job-state} left them. */
    static Written write(String bootstrap, String pod, int jobs, JobBook.Limits limits, Instant start,
                         boolean withState, boolean tombstones) {
        EventCodec codec = new EventCodec();
        JobBook book = new JobBook(limits);
        Map<String, JobStateRecord> state = new LinkedHashMap<>();
        List<String> forgotten = new ArrayList<>();
        long t0 = System.nanoTime();
        int events = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props(bootstrap))) {
            for (int i = 0; i < jobs; i++) {
                String id = id(i);
                Instant at = start.plusMillis(i);
                var payload = JsonNodeFactory.instance.objectNode().put("i", i);
                List<JobEvent> lifecycle = List.of(
                        new JobEvent.JobQueued(Ids.next(), 1, at, id, pod, payload, 1, null, null, null, "kafka", at),
                        new JobEvent.JobRunning(Ids.next(), 1, at, id, pod, null, 1),
                        new JobEvent.JobSucceeded(Ids.next(), 1, at, id, pod, pod + "-n1",
                                JsonNodeFactory.instance.objectNode().put("r", i), 3L, 1));
                for (JobEvent e : lifecycle) {
                    producer.send(new ProducerRecord<>(Topics.JOB_EVENTS.topicName(), null, at.toEpochMilli(), id,
                            codec.encode(e)));
                    events++;
                    JobStates.apply(book, e).ifPresent(r -> {
                        state.remove(id);
                        state.put(id, r);
                    });
                    for (String gone : book.takeForgotten()) {
                        state.remove(gone);
                        forgotten.add(gone);
                    }
                }
            }
            if (!withState) {
                state.clear();
            }
            List<String> written = withState && tombstones ? forgotten : List.of();
            for (String gone : written) {
                producer.send(new ProducerRecord<>(Topics.JOB_STATE.topicName(), gone, null));
            }
            for (JobStateRecord r : state.values()) {
                producer.send(new ProducerRecord<>(Topics.JOB_STATE.topicName(), r.key(), codec.encode(r)));
            }
            producer.flush();
            return new Written(id(0), id(jobs - 1), book.status(id(0)).isEmpty(), events,
                    written.size() + state.size(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Map<String, Object> props(String bootstrap) {
        Map<String, Object> p = new KafkaSettings(bootstrap).producer("it-history", null);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20); // uncompressed, as the resource manager writes
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        return p;
    }
}
