package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The resource manager's answer to one {@link AdminRequest} on {@code admin-replies}, keyed by the
 * request's id. {@code status} uses HTTP's codes; {@code field} names the bad input of a 400; {@code next}
 * (optional, added to v1), on one page of a list, is the {@code after} that asks for the next page (null:
 * this was the last).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = AdminReply.class, name = "AdminReply")})
public record AdminReply(String eventId, int v, Instant at, String requestId, int status, String field,
                         String message, JsonNode body, String next) implements Event {

    public AdminReply(String eventId, int v, Instant at, String requestId, int status, String field, String message,
                      JsonNode body) {
        this(eventId, v, at, requestId, status, field, message, body, null);
    }
    public String key() {
        return requestId;
    }

    public boolean ok() {
        return status < 300;
    }
}
