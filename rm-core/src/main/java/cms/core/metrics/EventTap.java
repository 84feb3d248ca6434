package cms.core.metrics;

import cms.core.event.Event;
import cms.core.topic.Topics;

/**
 * Told of every event a service publishes (and every tombstone), so that its meters say on {@code /metrics} what the
 * service says on Kafka. Called on the publishing thread: an implementation keeps its work small and never throws.
 */
public interface EventTap {

    /** A tap that is told nothing. */
    EventTap NONE = (topic, event) -> { };

    void published(Topics topic, Event event);

    /** A key removed from a compacted topic. */
    default void removed(Topics topic, String key) {
    }
}
