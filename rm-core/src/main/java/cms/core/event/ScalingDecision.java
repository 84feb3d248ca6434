package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/** One elasticity decision on {@code scaling}, with its inputs and a sentence saying why; keyed by pod. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = ScalingDecision.class, name = "ScalingDecision")})
public record ScalingDecision(String eventId, int v, Instant at, String pod, String metric, double value,
                              int fromNodes, int toNodes, String reason) implements Event {
    public String key() {
        return pod;
    }
}
