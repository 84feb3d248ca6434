package cms.core.kafka;

import cms.core.codec.EventCodec;
import cms.core.event.Event;
import cms.core.metrics.EventTap;
import cms.core.topic.Topics;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes events to their topic with the event's own key; refuses an event that belongs to another topic,
 * and one whose JSON is over {@link #MAX_RECORD_BYTES}: the producer would refuse it later, in a way that
 * fails a whole transaction, so it is refused here, at once and alone.
 */
public final class EventPublisher {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventPublisher.class);

    /** The largest value CMS writes, below the producer's default request limit of 1 MiB. */
    public static final int MAX_RECORD_BYTES = 900 * 1024;

    private final Producer<String, byte[]> producer;
    private final EventCodec codec;
    private final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
    private final EventTap tap;

    public EventPublisher(Producer<String, byte[]> producer, EventCodec codec) {
        this(producer, codec, EventTap.NONE);
    }

    /**
     * {@code tap} is told of each event and tombstone handed to the producer (the service's meters); a tap that throws
     * changes nothing of what is published.
     */
    public EventPublisher(Producer<String, byte[]> producer, EventCodec codec, EventTap tap) {
        this.producer = producer;
        this.codec = codec;
        this.tap = tap;
    }

    public Future<RecordMetadata> publish(Topics topic, Event event) {
        if (!topic.eventType().isInstance(event)) {
            throw new IllegalArgumentException(event.getClass().getSimpleName() + " does not belong on "
                    + topic.topicName());
        }
        byte[] value = codec.encode(event);
        if (value.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(event.getClass().getSimpleName() + " for " + topic.topicName() + " is "
                    + value.length + " bytes, over the limit of " + MAX_RECORD_BYTES + " for one record");
        }
        sent.increment();
        Future<RecordMetadata> sending = producer.send(new ProducerRecord<>(topic.topicName(), event.key(), value));
        tell(() -> tap.published(topic, event), topic);
        return sending;
    }

    /** A tombstone: removes a key from a compacted topic. */
    public Future<RecordMetadata> tombstone(Topics topic, String key) {
        if (topic.cleanup() != Topics.Cleanup.COMPACT) {
            throw new IllegalArgumentException(topic.topicName() + " is not compacted");
        }
        sent.increment();
        Future<RecordMetadata> sending = producer.send(new ProducerRecord<>(topic.topicName(), key, null));
        tell(() -> tap.removed(topic, key), topic);
        return sending;
    }

    /** The meters are told after the record went to the producer; a fault of theirs is logged, never the event's. */
    private static void tell(Runnable meters, Topics topic) {
        try {
            meters.run();
        } catch (RuntimeException e) {
            LOG.warn("metrics: an event on {} was not counted: {}", topic.topicName(), e.toString());
        }
    }

    /** How many records this publisher has handed to the producer. */
    public long sent() {
        return sent.sum();
    }

    public Producer<String, byte[]> producer() {
        return producer;
    }
}
