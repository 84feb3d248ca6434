package cms.rm.model;

import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code job-state} record of a job after one of its events, built from the event and the {@link JobBook}: the
 * record the resource manager writes in the same transaction as the event. Its event id is the event's own, so a
 * state record names the event that made it.
 */
public final class JobStates {

    private JobStates() {
    }

    /**
     * Applies {@code event} to {@code book} and returns the job's record after it: empty when the event changed
     * nothing (the job had ended already, or a RUNNING for a job the book does not hold).
     */
    public static Optional<JobStateRecord> apply(JobBook book, JobEvent event) {
        Optional<JobBook.Job> before = book.live(event.jobId());
        boolean endedBefore = before.isEmpty() && book.status(event.jobId()).isPresent();
        book.apply(event);
        return endedBefore ? Optional.empty() : after(event, before, book);
    }

    /**
     * The job's record after {@code event} was applied to {@code book}; {@code before} is the job as it was before
     * (empty for a new job). Empty when the event changed nothing (the job had ended already, or a RUNNING for a job
     * the book does not hold).
     */
    public static Optional<JobStateRecord> after(JobEvent event, Optional<JobBook.Job> before, JobBook book) {
        String id = event.jobId();
        if (!event.terminal()) {
            return book.live(id).map(job -> live(job, event));
        }
        if (before.isEmpty() && !(event instanceof JobEvent.JobFailed)) {
            return Optional.empty(); // only a submission that failed at once ends a job the book did not hold
        }
        String source = before.map(JobBook.Job::source).orElse(null);
        var queuedAt = before.map(JobBook.Job::queuedAt).orElse(null);
        Integer lastAttempt = before.map(JobBook.Job::attempt).orElse(null);
        JobStateRecord.EndedJob ended;
        if (event instanceof JobEvent.JobSucceeded s) {
            ended = new JobStateRecord.EndedJob(s.eventId(), 1, s.at(), id, s.pod(), JobStateRecord.Status.SUCCEEDED,
                    s.attempt() != null ? s.attempt() : lastAttempt, s.node(), s.durationMs(), null, source, queuedAt);
        } else if (event instanceof JobEvent.JobFailed f) {
            ended = new JobStateRecord.EndedJob(f.eventId(), 1, f.at(), id, f.pod(), JobStateRecord.Status.FAILED,
                    f.attempt() != null ? f.attempt() : lastAttempt, f.node(), null, f.reason(), source, queuedAt);
        } else {
            JobEvent.JobAborted a = (JobEvent.JobAborted) event;
            ended = new JobStateRecord.EndedJob(a.eventId(), 1, a.at(), id, a.pod(), JobStateRecord.Status.ABORTED,
                    lastAttempt, null, null, a.reason(), source, queuedAt);
        }
        return Optional.of(ended);
    }

    /**
     * Rebuilds {@code book} from the newest record of each job ({@link JobBook#restore}), in the order they were
     * written (by {@code at}; records of the same instant in the order given, e.g. the order read), so that the window
     * forgets the oldest ended jobs first and each queue keeps its order. Returns the records that could not be
     * restored, with why (none when all were).
     */
    public static List<String> restore(JobBook book, Collection<JobStateRecord> newest) {
        List<String> problems = new ArrayList<>();
        List<JobStateRecord> inOrder = new ArrayList<>(newest);
        inOrder.sort(Comparator.comparing(JobStateRecord::at)); // stable: ties keep the order given
        for (JobStateRecord r : inOrder) {
            try {
                book.restore(r);
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add("job " + r.jobId() + ": " + e.getMessage());
            }
        }
        return problems;
    }

    /** A live job's record, stamped with the time and id of the event that last changed it. */
    public static JobStateRecord.LiveJob live(JobBook.Job job, JobEvent cause) {
        return new JobStateRecord.LiveJob(cause.eventId(), 1, cause.at(), job.id(), job.pod(),
                JobStateRecord.Status.valueOf(job.status().name()), job.attempt(), job.payload(), job.notBefore(),
                job.timeoutSeconds(), job.source(), job.queuedAt());
    }
}
