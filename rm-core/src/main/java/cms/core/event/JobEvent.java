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

    default String key() {
        return jobId();
    }

    record JobQueued(String eventId, int v, Instant at, String jobId, String pod) implements JobEvent {
    }

    record JobRunning(String eventId, int v, Instant at, String jobId, String pod, String node, int attempt)
            implements JobEvent {
    }

    record JobSucceeded(String eventId, int v, Instant at, String jobId, String pod, String node, JsonNode result,
                        long durationMs) implements JobEvent {
    }

    record JobFailed(String eventId, int v, Instant at, String jobId, String pod, String reason)
            implements JobEvent {
    }

    record JobAborted(String eventId, int v, Instant at, String jobId, String pod, String reason)
            implements JobEvent {
    }
}
