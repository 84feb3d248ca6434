package cms.core.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.Event;
import cms.core.event.EventSamples;
import cms.core.event.JobEvent;
import cms.core.event.NodeEvent;
import cms.core.topic.Topics;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Events go to their own topic, keyed by what they are about; tombstones only where compaction removes them. */
class EventPublisherTest {

    private final EventCodec codec = new EventCodec();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final EventPublisher publisher = new EventPublisher(producer, codec);

    @ParameterizedTest
    @EnumSource(Topics.class)
    void publishesEveryTypeOnItsTopicKeyedByEventKey(Topics topic) throws Exception {
        List<Class<?>> types = EventSamples.concreteTypes(topic);
        for (Class<?> type : types) {
            Event event = EventSamples.of(type);
            publisher.publish(topic, event).get();
            ProducerRecord<String, byte[]> sent = producer.history().get(producer.history().size() - 1);
            assertEquals(topic.topicName(), sent.topic());
            assertEquals(event.key(), sent.key(), type.getSimpleName());
            assertArrayEquals(codec.encode(event), sent.value());
        }
        assertEquals(types.size(), producer.history().size());
    }

    @Test
    void sentValueDecodesToTheEvent() throws Exception {
        Event event = EventSamples.of(NodeEvent.NodeOnline.class);
        publisher.publish(Topics.NODE_EVENTS, event);
        assertEquals(event, codec.decode(producer.history().get(0).value(), NodeEvent.class));
        assertEquals("light-2", producer.history().get(0).key());
    }

    @Test
    void aTapThatThrowsChangesNothingOfWhatIsPublished() throws Exception {
        cms.core.metrics.EventTap broken = new cms.core.metrics.EventTap() {
            @Override
            public void published(Topics topic, Event event) {
                throw new NullPointerException("a meter's label");
            }

            @Override
            public void removed(Topics topic, String key) {
                throw new IllegalStateException("a meter");
            }
        };
        EventPublisher tapped = new EventPublisher(producer, codec, broken);
        Event event = EventSamples.of(NodeEvent.NodeOnline.class);
        tapped.publish(Topics.NODE_EVENTS, event).get();
        tapped.tombstone(Topics.PODS, "light").get();
        assertEquals(2, producer.history().size());
        assertEquals(2, tapped.sent());
    }

    @Test
    void refusesAnEventOnAnotherTopicAndSendsNothing() {
        Event event = EventSamples.of(NodeEvent.NodeStarting.class);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> publisher.publish(Topics.JOB_EVENTS, event));
        assertEquals("NodeStarting does not belong on job-events", e.getMessage());
        assertTrue(producer.history().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Topics.class)
    void refusesEveryForeignTypeOnEveryTopic(Topics topic) {
        for (Event event : EventSamples.all().values()) {
            if (!topic.eventType().isInstance(event)) {
                assertThrows(IllegalArgumentException.class, () -> publisher.publish(topic, event),
                        event.getClass().getSimpleName() + " on " + topic.topicName());
            }
        }
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void tombstoneOnPodsHasTheKeyAndNoValue() throws Exception {
        publisher.tombstone(Topics.PODS, "web").get();
        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertEquals("pods", sent.topic());
        assertEquals("web", sent.key());
        assertNull(sent.value());
    }

    @ParameterizedTest
    @EnumSource(value = Topics.class, names = {"PODS", "TOKENS", "JOB_STATE"}, mode = EnumSource.Mode.EXCLUDE)
    void tombstoneOnANonCompactedTopicIsRefused(Topics topic) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> publisher.tombstone(topic, "k"));
        assertEquals(topic.topicName() + " is not compacted", e.getMessage());
        assertTrue(producer.history().isEmpty());
    }

    @Test
    void exposesItsProducer() {
        assertSame(producer, publisher.producer());
        assertEquals(JobEvent.class, Topics.JOB_EVENTS.eventType());
    }
}
