package cms.core.event;

import java.time.Instant;

/**
 * What every event on every topic carries: its own id, a schema version, when it happened, and the id
 * of the thing it is about, which is also its Kafka key.
 */
public interface Event {
    String eventId();

    /** Schema version of this event type; readers accept versions they know and ignore unknown fields. */
    int v();

    Instant at();

    /** The Kafka key: the id of the pod, node, host or job this event is about. */
    String key();
}
