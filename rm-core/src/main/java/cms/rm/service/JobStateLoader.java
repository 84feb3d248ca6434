package cms.rm.service;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import cms.rm.model.JobBook;
import cms.rm.model.JobStates;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the resource manager's {@link JobBook} from the compacted {@code job-state} topic: the jobs alive and the
 * ended ids of the idempotency window, however long the history. On an upgrade — {@code job-state} holds nothing but
 * {@code job-events} does — it reads {@code job-events} once (what its 7-day retention kept) and returns the state
 * records the book implies, for the resource manager to write in its next transaction.
 */
final class JobStateLoader {

    private static final Logger LOG = LoggerFactory.getLogger(JobStateLoader.class);

    /** The rebuilt book, and the state records still to write (only after a seed from {@code job-events}). */
    record Loaded(JobBook book, List<JobStateRecord> seed) {
    }

    private final KafkaSettings kafka;
    private final EventCodec codec;
    private final JobBook.Limits limits;

    JobStateLoader(KafkaSettings kafka, EventCodec codec, JobBook.Limits limits) {
        this.kafka = kafka;
        this.codec = codec;
        this.limits = limits;
    }

    /** {@code stall}: how long a read may go without progress before it fails (a large topic may take longer). */
    Loaded load(Duration stall) {
        long start = System.nanoTime(); // for the log line only
        // in the order last written (per partition): access order moves a key written again to the end
        Map<String, JobStateRecord> newest = new LinkedHashMap<>(16, 0.75f, true);
        // decoded on a thread of their own while the next records are fetched; the job id is the key's own String
        int read = CompactedTopicReader.readAllAside(kafka, "cms-rm-job-state", Topics.JOB_STATE, stall, r -> {
            if (r.value() == null) {
                newest.remove(r.key());
                return;
            }
            try {
                newest.put(r.key(), codec.decodeJobState(r.value(), r.key()));
            } catch (UndecodableRecordException e) {
                skipped(r, e.getMessage());
            }
        });
        if (read == 0) {
            return seedFromEvents(stall);
        }
        long readAt = System.nanoTime();
        JobBook book = new JobBook(limits);
        JobStates.restore(book, newest.values())
                .forEach(p -> LOG.warn("topic=job-state {} skipped while rebuilding", p));
        LOG.info("jobs rebuilt from {} record(s) of {}: {} live, {} ended in the window (read in {} ms, restored in {} "
                + "ms)", read, Topics.JOB_STATE.topicName(), book.liveJobs().size(), book.endedInWindow().size(),
                (readAt - start) / 1_000_000, (System.nanoTime() - readAt) / 1_000_000);
        return new Loaded(book, List.of());
    }

    /** The book folded from {@code job-events}, and the newest state record of each job it holds. */
    private Loaded seedFromEvents(Duration stall) {
        JobBook book = new JobBook(limits);
        LinkedHashMap<String, JobStateRecord> seed = new LinkedHashMap<>();
        int read = CompactedTopicReader.readAll(kafka, "cms-rm-jobs-loader", Topics.JOB_EVENTS, stall, r -> {
            try {
                JobEvent event = codec.decode(r.value(), JobEvent.class);
                JobStates.apply(book, event).ifPresent(s -> {
                    seed.remove(s.jobId());
                    seed.put(s.jobId(), s);
                });
                book.takeForgotten().forEach(seed::remove);
            } catch (UndecodableRecordException e) {
                skipped(r, e.getMessage());
            }
        });
        if (read > 0) {
            LOG.info("jobs: {} is empty; rebuilt from {} record(s) of {} once (an upgrade): {} live, {} ended in the "
                    + "window; writing their {} state record(s)", Topics.JOB_STATE.topicName(), read,
                    Topics.JOB_EVENTS.topicName(), book.liveJobs().size(), book.endedInWindow().size(), seed.size());
        }
        return new Loaded(book, List.copyOf(seed.values()));
    }

    private static void skipped(ConsumerRecord<String, byte[]> r, String why) {
        LOG.warn("topic={} partition={} offset={} skipped while rebuilding: {}", r.topic(), r.partition(), r.offset(),
                why);
    }
}
