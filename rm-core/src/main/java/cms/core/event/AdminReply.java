package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The resource manager's answer to one {@link AdminRequest} on {@code admin-replies}, keyed by the
 * request's id. {@code status} uses HTTP's codes; {@code field} names the bad input of a 400.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = AdminReply.class, name = "AdminReply")})
public record AdminReply(String eventId, int v, Instant at, String requestId, int status, String field,
                         String message, JsonNode body) implements Event {
    public String key() {
        return requestId;
    }

    public boolean ok() {
        return status < 300;
    }
}
