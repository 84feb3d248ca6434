package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Values of the compacted {@code job-state} topic, keyed by job id: each job's state as it is now, written by the
 * resource manager in the same transaction as the {@code job-events} record that changed it. A job not ended is a
 * {@link LiveJob} (all a dispatcher needs, payload included); an ended one is a small {@link EndedJob} (no payload,
 * no result) kept while it is within the resource manager's idempotency window ({@code CMS_RM_JOB_HISTORY}), then
 * a tombstone. Reading this topic to its end rebuilds what is alive and the window, not all history.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = JobStateRecord.LiveJob.class, name = "LiveJob"),
    @JsonSubTypes.Type(value = JobStateRecord.EndedJob.class, name = "EndedJob"),
})
public sealed interface JobStateRecord extends Event {

    /** The longest {@link EndedJob#error} kept; a longer reason is cut (its whole text is on {@code job-events}). */
    int MAX_ERROR_CHARS = 500;

    enum Status { QUEUED, RUNNING, SUCCEEDED, FAILED, ABORTED }

    String jobId();

    String pod();

    Status status();

    default String key() {
        return jobId();
    }

    /**
     * A job that waits ({@code QUEUED}, not before {@code notBefore}) or runs ({@code RUNNING}) its {@code attempt};
     * {@code queuedAt} is when it was first queued. {@code at} is when it last changed.
     */
    record LiveJob(String eventId, int v, Instant at, String jobId, String pod, Status status, int attempt,
                   JsonNode payload, Instant notBefore, Integer timeoutSeconds, String source, Instant queuedAt)
            implements JobStateRecord {
    }

    /**
     * A job that ended ({@code SUCCEEDED}, {@code FAILED}, {@code ABORTED}) at {@code at}: the node that answered, the
     * attempt, how long the call took, and the reason it failed or was aborted (at most {@link #MAX_ERROR_CHARS}).
     */
    record EndedJob(String eventId, int v, Instant at, String jobId, String pod, Status status, Integer attempt,
                    String node, Long durationMs, String error, String source, Instant queuedAt)
            implements JobStateRecord {
        public EndedJob {
            if (error != null && error.length() > MAX_ERROR_CHARS) {
                error = error.substring(0, MAX_ERROR_CHARS - 1) + "…";
            }
        }
    }
}
