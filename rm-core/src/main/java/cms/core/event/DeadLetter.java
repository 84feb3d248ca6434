package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * A record that a consumer could not read or apply, with the reason, on {@code dead-letter}. Keyed by
 * where it came from ({@code topic:partition:offset}); the original value is kept as text.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = DeadLetter.class, name = "DeadLetter")})
public record DeadLetter(String eventId, int v, Instant at, String consumer, String sourceTopic, int partition,
                         long offset, String sourceKey, String value, String reason) implements Event {
    public String key() {
        return sourceTopic + ":" + partition + ":" + offset;
    }
}
