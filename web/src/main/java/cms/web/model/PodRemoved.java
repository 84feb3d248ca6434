package cms.web.model;

import cms.core.event.Event;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A tombstone of the compacted {@code pods} topic as the live view streams it: the pod is gone. Not a
 * topic's event type; it exists only between the web service and its browsers.
 */
public record PodRemoved(String eventId, int v, Instant at, String pod) implements Event {
    public String key() {
        return pod;
    }

    @JsonProperty("type")
    public String type() {
        return "PodRemoved";
    }
}
