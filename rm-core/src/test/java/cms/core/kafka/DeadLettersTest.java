package cms.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cms.core.codec.EventCodec;
import cms.core.event.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A record that cannot be read goes to dead-letter with where it came from, why, and (most of) its value. */
class DeadLettersTest {

    private static final Instant NOW = Instant.parse("2025-03-01T10:15:30Z");

    private final EventCodec codec = new EventCodec();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final DeadLetters deadLetters = new DeadLetters(new EventPublisher(producer, codec), "rm-core",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void deadLetterCarriesOriginAndReason() {
        DeadLetter letter = deadLetters.of(record("node-events", 2, 1041L, "light-2", "{not json"), "broken JSON");
        assertEquals("rm-core", letter.consumer());
        assertEquals("node-events", letter.sourceTopic());
        assertEquals(2, letter.partition());
        assertEquals(1041L, letter.offset());
        assertEquals("light-2", letter.sourceKey());
        assertEquals("{not json", letter.value());
        assertEquals("broken JSON", letter.reason());
        assertEquals(NOW, letter.at());
        assertEquals(1, letter.v());
        assertEquals("node-events:2:1041", letter.key());
        assertFalse(letter.eventId().isBlank());
    }

    @Test
    void everyDeadLetterHasItsOwnEventId() {
        ConsumerRecord<String, byte[]> record = record("jobs", 0, 1L, "job-1", "x");
        assertNotEquals(deadLetters.of(record, "r").eventId(), deadLetters.of(record, "r").eventId());
    }

    @Test
    void sendPublishesOnDeadLetterKeyedByOrigin() throws Exception {
        deadLetters.send(record("jobs", 4, 77L, "job-9", "{\"type\":\"Nope\"}"), "unknown type 'Nope'");
        assertEquals(1, producer.history().size());
        ProducerRecord<String, byte[]> sent = producer.history().get(0);
        assertEquals("dead-letter", sent.topic());
        assertEquals("jobs:4:77", sent.key());
        DeadLetter letter = codec.decode(sent.value(), DeadLetter.class);
        assertEquals("{\"type\":\"Nope\"}", letter.value());
        assertEquals("unknown type 'Nope'", letter.reason());
        assertEquals("job-9", letter.sourceKey());
    }

    @Test
    void longValueIsTruncated() {
        String value = "x".repeat(DeadLetters.MAX_VALUE_CHARS) + "tail";
        DeadLetter letter = deadLetters.of(record("jobs", 0, 1L, "k", value), "too big");
        assertEquals(DeadLetters.MAX_VALUE_CHARS, letter.value().length());
        assertEquals(value.substring(0, DeadLetters.MAX_VALUE_CHARS), letter.value());
    }

    @Test
    void valueOneCharOverTheLimitLosesThatChar() {
        String value = "z".repeat(DeadLetters.MAX_VALUE_CHARS) + "!";
        assertEquals("z".repeat(DeadLetters.MAX_VALUE_CHARS),
                deadLetters.of(record("jobs", 0, 1L, "k", value), "r").value());
    }

    @Test
    void valueOfExactlyTheLimitIsKept() {
        String value = "y".repeat(DeadLetters.MAX_VALUE_CHARS);
        assertEquals(value, deadLetters.of(record("jobs", 0, 1L, "k", value), "r").value());
    }

    @Test
    void nullValueAndNullKeyStayNull() {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("pods", 1, 5L, null, null);
        DeadLetter letter = deadLetters.of(record, "tombstone for nothing");
        assertNull(letter.value());
        assertNull(letter.sourceKey());
        assertEquals("pods:1:5", letter.key());
    }

    private static ConsumerRecord<String, byte[]> record(String topic, int partition, long offset, String key,
                                                         String value) {
        return new ConsumerRecord<>(topic, partition, offset, key, value.getBytes(StandardCharsets.UTF_8));
    }
}
