package cms.web.jobs;

import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One job as the API shows it. {@code status}: SUBMITTED (taken by this web service, not yet seen by the
 * resource manager), QUEUED, RUNNING, SUCCEEDED, FAILED, ABORTED. {@code node} is the node that answered
 * (known when it ends); {@code lastRetry} says why the last attempt was repeated; {@code resultBytes} is set
 * only when the workload's answer was over the resource manager's limit: {@code result} then holds its
 * first bytes as text, and {@code resultBytes} its whole size.
 */
public record JobView(String jobId, String pod, String status, String source, int attempt, String node,
                      Instant submittedAt, Instant startedAt, Instant endedAt, Long durationMs, JsonNode result,
                      String error, String lastRetry, Long resultBytes) {

    public JobView(String jobId, String pod, String status, String source, int attempt, String node,
                   Instant submittedAt, Instant startedAt, Instant endedAt, Long durationMs, JsonNode result,
                   String error, String lastRetry) {
        this(jobId, pod, status, source, attempt, node, submittedAt, startedAt, endedAt, durationMs, result, error,
                lastRetry, null);
    }

    static JobView submitted(String jobId, String pod, Instant at) {
        return new JobView(jobId, pod, "SUBMITTED", "http", 0, null, at, null, null, null, null, null, null);
    }

    public boolean terminal() {
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("ABORTED");
    }

    /**
     * A job as its {@code job-state} record has it (the web's table at start): what it is now, without the result
     * of an ended job, the time its first attempt started or why an attempt was repeated, which that record leaves
     * out.
     */
    public static JobView of(JobStateRecord r) {
        if (r instanceof JobStateRecord.EndedJob e) {
            return new JobView(e.jobId(), e.pod(), e.status().name(), e.source(), e.attempt() == null ? 0 : e.attempt(),
                    e.node(), e.queuedAt(), null, e.at(), e.durationMs(), null, e.error(), null);
        }
        JobStateRecord.LiveJob l = (JobStateRecord.LiveJob) r;
        return new JobView(l.jobId(), l.pod(), l.status().name(), l.source(), l.attempt(), null, l.queuedAt(), null,
                null, null, null, null, null);
    }

    /**
     * How far a job has come: SUBMITTED, then QUEUED and RUNNING of each attempt in turn, then its end. An event that
     * would take a job back (one read again after the table was loaded from a newer state) is stale.
     */
    int progress() {
        if (terminal()) {
            return Integer.MAX_VALUE;
        }
        return "SUBMITTED".equals(status) ? 0 : 2 * attempt + ("RUNNING".equals(status) ? 1 : 0);
    }

    /**
     * The job after one event; the same object when the event changes nothing: the job already ended (unless the
     * event is that end and brings the result a state record left out), or the event is stale (an earlier attempt,
     * or QUEUED for the attempt that runs).
     */
    public static JobView apply(JobView before, JobEvent e) {
        if (before == null || !before.terminal()) {
            JobView after = fold(before, e);
            return before != null && after.progress() < before.progress() ? before : after;
        }
        if (e.terminal() && before.result() == null) {
            JobView full = fold(before, e);
            if (full.status().equals(before.status()) && full.result() != null) {
                return full;
            }
        }
        return before;
    }

    private static JobView fold(JobView before, JobEvent e) {
        Instant submitted = before == null || before.submittedAt() == null ? e.at() : before.submittedAt();
        String source = before == null ? null : before.source();
        int attempt = before == null ? 0 : before.attempt();
        Instant started = before == null ? null : before.startedAt();
        String retry = before == null ? null : before.lastRetry();
        if (e instanceof JobEvent.JobQueued q) {
            boolean first = q.attemptOrFirst() == 1;
            // the submission's own time, carried by the event: the same whether or not this service took the job,
            // and after a restart that rebuilds the table from the events
            Instant at = first && q.submittedAt() != null ? q.submittedAt() : submitted;
            return new JobView(q.jobId(), q.pod(), "QUEUED", q.source() != null ? q.source() : source,
                    q.attemptOrFirst(), null, at, started, null, null, null, null, first ? retry : q.reason());
        } else if (e instanceof JobEvent.JobRunning r) {
            return new JobView(r.jobId(), r.pod(), "RUNNING", source, r.attempt(), r.node(), submitted,
                    started == null ? r.at() : started, null, null, null, null, retry);
        } else if (e instanceof JobEvent.JobSucceeded s) {
            return new JobView(s.jobId(), s.pod(), "SUCCEEDED", source, s.attempt() == null ? attempt : s.attempt(),
                    s.node(), submitted, started, s.at(), s.durationMs(), s.result(), null, retry, s.resultBytes());
        } else if (e instanceof JobEvent.JobFailed f) {
            return new JobView(f.jobId(), f.pod(), "FAILED", source, f.attempt() == null ? attempt : f.attempt(),
                    f.node(), submitted, started, f.at(), null, null, f.reason(), retry);
        }
        JobEvent.JobAborted a = (JobEvent.JobAborted) e;
        return new JobView(a.jobId(), a.pod(), "ABORTED", source, attempt, null, submitted, started, a.at(), null,
                null, a.reason(), retry);
    }
}
