package cms.core.kafka;

import cms.core.event.DeadLetter;
import cms.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a record that could not be read or applied to {@code dead-letter}, with the reason. */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    /** The most of the original value that is kept, so one huge record cannot make the dead letter too large. */
    static final int MAX_VALUE_CHARS = 64 * 1024;

    private final EventPublisher publisher;
    private final String consumer;
    private final Clock clock;

    public DeadLetters(EventPublisher publisher, String consumer, Clock clock) {
        this.publisher = publisher;
        this.consumer = consumer;
        this.clock = clock;
    }

    public void send(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warn("consumer={} topic={} partition={} offset={} dead-letter: {}", consumer, record.topic(),
                record.partition(), record.offset(), reason);
        publisher.publish(Topics.DEAD_LETTER, of(record, reason));
    }

    public DeadLetter of(ConsumerRecord<String, byte[]> record, String reason) {
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        if (value != null && value.length() > MAX_VALUE_CHARS) {
            value = value.substring(0, MAX_VALUE_CHARS);
        }
        return new DeadLetter(UUID.randomUUID().toString(), 1, clock.instant(), consumer, record.topic(),
                record.partition(), record.offset(), record.key(), value, reason);
    }
}
