package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** Job lifecycle on {@code job-events}, keyed by job id. Exactly one terminal event per job. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = JobEvent.JobQueued.class, name = "JobQueued"),
    @JsonSubTypes.Type(value = JobEvent.JobRunning.class, name = "JobRunning"),
    @JsonSubTypes.Type(value = JobEvent.JobSucceeded.class, name = "JobSucceeded"),
    @JsonSubTypes.Type(value = JobEvent.JobFailed.class, name = "JobFailed"),
    @JsonSubTypes.Type(value = JobEvent.JobAborted.class, name = "JobAborted"),
})
public sealed interface JobEvent extends Event {
    String jobId();

    /** The pod the job is for; null only on the FAILED event of a submission that named none. */
    String pod();

    default String key() {
        return jobId();
    }

    /**
     * The job waits in its pod's queue: on submission (attempt 1, with the job's payload and time limit)
     * and again after a node failed it ({@code attempt} > 1, {@code reason} says why, not before
     * {@code notBefore}). Every field a dispatcher needs is here, so the queue can be rebuilt from this
     * topic alone. {@code source} is where the job came from ({@code http}, {@code kafka}); {@code submittedAt}
     * (first attempt) is the submission's own time (the web service's clock, or the record's).
     */
    record JobQueued(String eventId, int v, Instant at, String jobId, String pod, JsonNode payload, Integer attempt,
                     String reason, Instant notBefore, Integer timeoutSeconds, String source, Instant submittedAt)
            implements JobEvent {
        public JobQueued(String eventId, int v, Instant at, String jobId, String pod) {
            this(eventId, v, at, jobId, pod, null, null, null, null, null, null, null);
        }

        public JobQueued(String eventId, int v, Instant at, String jobId, String pod, JsonNode payload, Integer attempt,
                         String reason, Instant notBefore, Integer timeoutSeconds, String source) {
            this(eventId, v, at, jobId, pod, payload, attempt, reason, notBefore, timeoutSeconds, source, null);
        }

        /** The attempt this queue entry is for (1 when not given). */
        public int attemptOrFirst() {
            return attempt == null ? 1 : attempt;
        }
    }

    /**
     * Sent to the pod's load-balancer frontend. {@code node} is null when the balancer picks it: the
     * terminal event names the node that answered.
     */
    record JobRunning(String eventId, int v, Instant at, String jobId, String pod, String node, int attempt)
            implements JobEvent {
    }

    /**
     * {@code resultBytes} is set only when the workload's answer was over the resource manager's limit:
     * then {@code result} holds the answer's first bytes as text and {@code resultBytes} its whole size.
     */
    record JobSucceeded(String eventId, int v, Instant at, String jobId, String pod, String node, JsonNode result,
                        long durationMs, Integer attempt, Long resultBytes) implements JobEvent {
        public JobSucceeded(String eventId, int v, Instant at, String jobId, String pod, String node, JsonNode result,
                            long durationMs) {
            this(eventId, v, at, jobId, pod, node, result, durationMs, null, null);
        }

        public JobSucceeded(String eventId, int v, Instant at, String jobId, String pod, String node, JsonNode result,
                            long durationMs, Integer attempt) {
            this(eventId, v, at, jobId, pod, node, result, durationMs, attempt, null);
        }

        /** The result was cut to the limit (see {@code resultBytes}). */
        public boolean resultTruncated() {
            return resultBytes != null;
        }
    }

    /** The job ended without a result: the workload answered with an error, it timed out, or it ran out of retries. */
    record JobFailed(String eventId, int v, Instant at, String jobId, String pod, String reason, String node,
                     Integer attempt) implements JobEvent {
        public JobFailed(String eventId, int v, Instant at, String jobId, String pod, String reason) {
            this(eventId, v, at, jobId, pod, reason, null, null);
        }
    }

    record JobAborted(String eventId, int v, Instant at, String jobId, String pod, String reason)
            implements JobEvent {
    }

    /** True for the three events that end a job. */
    default boolean terminal() {
        return this instanceof JobSucceeded || this instanceof JobFailed || this instanceof JobAborted;
    }
}
