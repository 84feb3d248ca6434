package cms.web.model;

import cms.core.event.JobEvent;
import java.time.Instant;

/** A job as its latest event shows it: state, node, attempt, and how it ended. */
public record JobView(String jobId, String pod, String state, String node, Instant since, String reason,
                      Long durationMs, boolean terminal) {

    public static String podOf(JobEvent e) {
        if (e instanceof JobEvent.JobQueued q) {
            return q.pod();
        } else if (e instanceof JobEvent.JobRunning r) {
            return r.pod();
        } else if (e instanceof JobEvent.JobSucceeded s) {
            return s.pod();
        } else if (e instanceof JobEvent.JobFailed f) {
            return f.pod();
        }
        return ((JobEvent.JobAborted) e).pod();
    }

    /** The job after {@code e}; {@code before} (may be null) keeps the node when the event names none. */
    public static JobView of(JobEvent e, JobView before) {
        String node = before == null ? null : before.node();
        if (e instanceof JobEvent.JobQueued q) {
            return new JobView(q.jobId(), q.pod(), "QUEUED", node, q.at(), null, null, false);
        } else if (e instanceof JobEvent.JobRunning r) {
            return new JobView(r.jobId(), r.pod(), "RUNNING", r.node(), r.at(), null, null, false);
        } else if (e instanceof JobEvent.JobSucceeded s) {
            return new JobView(s.jobId(), s.pod(), "SUCCEEDED", s.node(), s.at(), null, s.durationMs(), true);
        } else if (e instanceof JobEvent.JobFailed f) {
            return new JobView(f.jobId(), f.pod(), "FAILED", node, f.at(), f.reason(), null, true);
        }
        JobEvent.JobAborted a = (JobEvent.JobAborted) e;
        return new JobView(a.jobId(), a.pod(), "ABORTED", node, a.at(), a.reason(), null, true);
    }
}
