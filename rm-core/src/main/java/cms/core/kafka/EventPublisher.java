package cms.core.kafka;

import cms.core.codec.EventCodec;
import cms.core.event.Event;
import cms.core.topic.Topics;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Writes events to their topic with the event's own key; refuses an event that belongs to another topic. */
public final class EventPublisher {

    private final Producer<String, byte[]> producer;
    private final EventCodec codec;

    public EventPublisher(Producer<String, byte[]> producer, EventCodec codec) {
        this.producer = producer;
        this.codec = codec;
    }

    public Future<RecordMetadata> publish(Topics topic, Event event) {
        if (!topic.eventType().isInstance(event)) {
            throw new IllegalArgumentException(event.getClass().getSimpleName() + " does not belong on "
                    + topic.topicName());
        }
        return producer.send(new ProducerRecord<>(topic.topicName(), event.key(), codec.encode(event)));
    }

    /** A tombstone: removes a key from a compacted topic. */
    public Future<RecordMetadata> tombstone(Topics topic, String key) {
        if (topic.cleanup() != Topics.Cleanup.COMPACT) {
            throw new IllegalArgumentException(topic.topicName() + " is not compacted");
        }
        return producer.send(new ProducerRecord<>(topic.topicName(), key, null));
    }

    public Producer<String, byte[]> producer() {
        return producer;
    }
}
