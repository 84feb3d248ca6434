package cms.core.kafka;

import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a service does in its {@link ConsumerLoop}. The loop owns the clients, the transaction, the
 * offsets and the faults; the handler owns the service's state and decisions.
 */
public interface LoopHandler {

    /**
     * New clients are open (at start, and again after a fault): rebuild what the service folds from
     * topics. A fault here is handled like a fault of the loop (retried after a back-off).
     */
    default void onOpen(LoopSession session) {
    }

    /**
     * One record. An exception that is not a Kafka fault (an {@code UndecodableRecordException}, an
     * {@code IllegalArgumentException}, or a bug) sends the record to dead-letter with its message as the
     * reason, and the loop goes on.
     */
    void onRecord(ConsumerRecord<String, byte[]> record, LoopSession session) throws Exception;

    /**
     * After each poll's records (also when there were none), with the time read once. In a
     * transactional loop it runs inside the same transaction as the records.
     */
    default void onTurn(Instant now, LoopSession session) {
    }

    /**
     * A transactional loop asks this after a poll that brought no record: whether a transaction is
     * needed anyway (answers to publish, a tick that is due). Not asked when there were records.
     */
    default boolean wantsTurn(Instant now) {
        return true;
    }

    /** A transactional loop's transaction was committed: act on what is now durable. */
    default void afterCommit(LoopSession session) {
    }

    /**
     * The session ended without a commit of what was handled since the last one (a fault, or a stop):
     * forget it; {@link #onOpen} of the next session rebuilds from the topics.
     */
    default void onAbandon() {
    }
}
