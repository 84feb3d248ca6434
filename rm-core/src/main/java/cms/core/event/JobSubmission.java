package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The public {@code jobs} topic: other systems produce these; keyed by job id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = JobSubmission.JobSubmitted.class, name = "JobSubmitted")})
public sealed interface JobSubmission extends Event {

    /**
     * A job for {@code pod}: {@code payload} is sent as the body of a POST to the workload's job path;
     * {@code timeoutSeconds} (optional) bounds each attempt.
     */
    record JobSubmitted(String eventId, int v, Instant at, String jobId, String pod, JsonNode payload,
                        Integer timeoutSeconds) implements JobSubmission {
        public JobSubmitted(String eventId, int v, Instant at, String jobId, String pod, JsonNode payload) {
            this(eventId, v, at, jobId, pod, payload, null);
        }

        public String key() {
            return jobId;
        }
    }
}
