package cms.core.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A poll that does not hand a busy loop stale records alone. The consumer sends its next fetch as a poll returns,
 * and the broker answers it as soon as one record is there: while the loop's turn is busy (a transaction's round
 * trips), that answer holds only the first records of the turn, and those that came after it wait on the broker for
 * the fetch of the next poll, which the turn after uses. Under a steady stream most records so waited two turns. So
 * when a poll returns records at once (they were buffered, from a fetch answered during the last turn), one more
 * short poll takes what reached the broker since; a poll that waited for its records (a loop that was idle) has
 * fresh ones and is not followed by another.
 */
final class CatchUpPoll {

    /** A poll that returned within this long returned buffered records. */
    static final long AT_ONCE_NANOS = 1_000_000L;

    private final Duration wait;
    private final LongSupplier nanos;

    /** {@code wait}: the longest the second poll waits (about a fetch round trip); zero: never a second poll. */
    CatchUpPoll(Duration wait, LongSupplier nanos) {
        this.wait = wait;
        this.nanos = nanos;
    }

    /** The records of one turn, each partition's in order. */
    List<ConsumerRecord<String, byte[]>> poll(Consumer<String, byte[]> c, Duration timeout) {
        long start = nanos.getAsLong();
        ConsumerRecords<String, byte[]> first = c.poll(timeout);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>(first.count());
        first.forEach(out::add);
        if (!first.isEmpty() && !wait.isZero() && nanos.getAsLong() - start < AT_ONCE_NANOS) {
            try {
                c.poll(wait).forEach(out::add);
            } catch (WakeupException e) {
                // the first poll's records are this turn's all the same: the consumer's position is past them
                return out;
            }
        }
        return out;
    }
}
