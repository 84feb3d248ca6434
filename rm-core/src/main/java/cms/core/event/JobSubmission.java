package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The public {@code jobs} topic: other systems produce these; keyed by job id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = JobSubmission.JobSubmitted.class, name = "JobSubmitted")})
public sealed interface JobSubmission extends Event {

    record JobSubmitted(String eventId, int v, Instant at, String jobId, String pod, JsonNode payload)
            implements JobSubmission {
        public String key() {
            return jobId;
        }
    }
}
