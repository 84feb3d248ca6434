package cms.rm.service;

import cms.core.codec.EventCodec;
import cms.core.event.Ids;
import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import cms.core.event.MetricSample;
import cms.core.kafka.EventPublisher;
import cms.core.topic.Topics;
import cms.rm.model.CloudState;
import cms.rm.model.JobBook;
import cms.rm.model.JobStates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource manager's jobs at run time: the {@link JobBook} (rebuilt from {@code job-state} each time
 * the loop opens), the {@link JobDispatcher} with the calls in flight (it outlives the loop's Kafka
 * clients), and what a transaction has published but not yet committed. A job is sent only once its
 * RUNNING event is committed; an answer counts only once its terminal event is: answers drained into a
 * transaction that was not committed are kept and applied again in the next one, so a Kafka fault
 * neither loses an answer nor sends its job again. A transaction may commit a pod's jobs RUNNING up to
 * {@code CMS_RM_JOBS_AHEAD} times its slots; the dispatcher sends them as its slots free, so the workload's
 * slots turn over at the speed of its answers while Kafka commits in batches.
 */
final class JobRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRuntime.class);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    private final ResourceManagerConfig config;
    private final EventCodec codec;
    private final JobDispatcher dispatcher;
    private final List<JobDispatcher.Completion> answers = new ArrayList<>();
    private final List<JobEvent> inTransaction = new ArrayList<>();
    private JobBook book;
    /** State records a rebuild left to write in the next transaction ({@link #writeState}). */
    private List<JobStateRecord> stateDue = List.of();
    private boolean recoveryDue = true;
    private Instant lastSample;
    private Instant sampleInTransaction;

    JobRuntime(ResourceManagerConfig config, EventCodec codec) {
        this.config = config;
        this.codec = codec;
        this.dispatcher = new JobDispatcher(codec.mapper(), config.frontendHost(), config.jobTimeout(),
                config.maxResultBytes());
        this.book = new JobBook(config.jobLimits());
    }

    /** Runs {@code wake} when an answer comes in. */
    void onAnswer(Runnable wake) {
        dispatcher.onAnswer(wake);
    }

    /**
     * The loop opened new clients: rebuild the book from what was committed on {@code job-state}. {@code stall}: how
     * long the read may go without progress (not its whole length).
     */
    void reload(Duration stall) {
        JobStateLoader.Loaded loaded = new JobStateLoader(config.kafka(), codec, config.jobLimits()).load(stall);
        JobBook fresh = loaded.book();
        LOG.info("jobs: {} running, {} queued, {} answer(s) waiting", fresh.runningJobs().size(),
                fresh.podsWithJobs().stream().mapToInt(fresh::queued).sum(), answers.size());
        book = fresh;
        stateDue = loaded.seed();
        recoveryDue = true;
        inTransaction.clear();
    }

    /**
     * In the transaction, before the turn's job events: the state records a rebuild left to write (a seed from
     * {@code job-events} after an upgrade) and the tombstones of ended ids that left the window while rebuilding
     * (a smaller {@code CMS_RM_JOB_HISTORY}). A transaction that is not committed leaves them to the next rebuild.
     */
    void writeState(EventPublisher publisher) {
        for (JobStateRecord r : stateDue) {
            publisher.publish(Topics.JOB_STATE, r);
        }
        stateDue = List.of();
        book.takeForgotten().forEach(id -> publisher.tombstone(Topics.JOB_STATE, id));
    }

    JobBook book() {
        return book;
    }

    boolean wantsTurn(CloudState state, Instant now) {
        return recoveryDue || !answers.isEmpty() || dispatcher.hasAnswers() || sampleDue(now)
                || !book.dispatch(state, now, config.jobsAhead()).isEmpty();
    }

    private boolean sampleDue(Instant now) {
        return lastSample == null || !now.isBefore(lastSample.plus(SAMPLE_EVERY));
    }

    /**
     * Publishes one job event in the open transaction and applies it to the book; with it, the job's record on
     * {@code job-state}, and tombstones there for the ended ids it pushed out of the idempotency window.
     */
    void publish(JobEvent event, EventPublisher publisher) {
        publisher.publish(Topics.JOB_EVENTS, event);
        JobStates.apply(book, event).ifPresent(state -> publisher.publish(Topics.JOB_STATE, state));
        book.takeForgotten().forEach(id -> publisher.tombstone(Topics.JOB_STATE, id));
        inTransaction.add(event);
        LOG.debug("job={} pod={} {}", event.jobId(), event.pod(), event.getClass().getSimpleName());
    }

    /**
     * In the transaction, after its records: jobs cut short go back to the queue (once after each
     * opening), answers become terminal events or retries, free slots take queued jobs, and once a second
     * each pod's queue depth goes on {@code metrics}. {@code dispatchAt} is read after the batch, so that a
     * job queued by a record of this batch never seems to run before it was queued.
     */
    void turn(CloudState state, Instant now, Instant dispatchAt, EventPublisher publisher) {
        // calls in flight first, then the answers: a call that ends in between is in one or the other
        Set<String> busy = recoveryDue ? new HashSet<>(dispatcher.inFlight()) : null;
        answers.addAll(dispatcher.drain());
        if (recoveryDue) {
            answers.forEach(a -> busy.add(a.jobId()));
            book.recover(busy, now).forEach(e -> publish(e, publisher));
        }
        for (JobDispatcher.Completion a : answers) {
            book.answered(a.jobId(), a.attempt(), a.answer(), now).ifPresent(e -> publish(e, publisher));
        }
        book.dispatch(state, dispatchAt, config.jobsAhead()).forEach(e -> publish(e, publisher));
        sampleInTransaction = null;
        if (sampleDue(now)) {
            for (String pod : state.pods().keySet()) {
                publisher.publish(Topics.METRICS, new MetricSample.PodSample(Ids.next(), 1, now, pod, null, null, null,
                        null, null, null, null, book.queued(pod), null, MetricSample.PodSample.RESOURCE_MANAGER,
                        book.running(pod)));
            }
            sampleInTransaction = now;
        }
    }

    /** The transaction is committed: send the jobs that are now RUNNING, stop waiting for those aborted. */
    void committed(CloudState state) {
        recoveryDue = false;
        answers.clear();
        if (sampleInTransaction != null) {
            lastSample = sampleInTransaction;
        }
        Map<String, Integer> slots = new HashMap<>();
        state.pods().values().forEach(p -> slots.put(p.name(), book.slots(p)));
        dispatcher.slots(slots);
        for (JobEvent e : inTransaction) {
            if (e instanceof JobEvent.JobRunning r) {
                var job = book.live(r.jobId());
                var pod = state.pod(r.pod());
                if (job.isPresent() && job.get().status() == JobBook.Status.RUNNING && job.get().attempt() == r.attempt()
                        && pod.isPresent() && pod.get().frontendPort() != null) {
                    dispatcher.send(job.get(), r.attempt(), pod.get().frontendPort(), pod.get().workload().jobPath());
                }
            } else if (e instanceof JobEvent.JobAborted a) {
                dispatcher.cancel(a.jobId());
            }
        }
        inTransaction.clear();
    }

    /** The transaction was not committed: its events are void (the book is rebuilt); its answers are kept. */
    void abandoned() {
        inTransaction.clear();
        sampleInTransaction = null;
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
