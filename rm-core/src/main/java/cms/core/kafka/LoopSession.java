package cms.core.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One life of a loop's clients, from their opening to a fault or a stop: what handlers publish with. */
public final class LoopSession {

    private final Consumer<String, byte[]> consumer;
    private final EventPublisher publisher;
    private final DeadLetters deadLetters;

    LoopSession(Consumer<String, byte[]> consumer, EventPublisher publisher, DeadLetters deadLetters) {
        this.consumer = consumer;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
    }

    public Consumer<String, byte[]> consumer() {
        return consumer;
    }

    public EventPublisher publisher() {
        return publisher;
    }

    /** Sends a record to dead-letter with the reason (in the transaction, for a transactional loop). */
    public void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        deadLetters.send(record, reason);
    }
}
