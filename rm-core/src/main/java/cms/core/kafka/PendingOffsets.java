package cms.core.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumed offsets of a transactional loop not yet committed. A poll whose handling wrote nothing (the
 * resource manager's heartbeats: a thousand hosts keep every poll busy) need not cost a transaction with its
 * round trips to the coordinators: its offsets are held back, for at most {@code maxHold}, and go with the
 * next transaction that writes something, or the first one after {@code maxHold}. A rewind after a fault reads
 * those records again, which must be harmless for records that wrote nothing. {@code maxHold} zero: never held.
 */
final class PendingOffsets {

    private final Duration maxHold;
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private Instant since;

    PendingOffsets(Duration maxHold) {
        this.maxHold = maxHold;
    }

    /** The record at {@code offset} of {@code tp} was handled (read at {@code now}). */
    void handled(TopicPartition tp, long offset, Instant now) {
        offsets.put(tp, new OffsetAndMetadata(offset + 1));
        if (since == null) {
            since = now;
        }
    }

    /** Whether this transaction commits the offsets: it writes something, or they were held for {@code maxHold}. */
    boolean due(boolean wrote, Instant now) {
        return !offsets.isEmpty() && (wrote || maxHold.isZero() || !since.plus(maxHold).isAfter(now));
    }

    boolean isEmpty() {
        return offsets.isEmpty();
    }

    /** The offsets to commit; forgets them. */
    Map<TopicPartition, OffsetAndMetadata> take() {
        Map<TopicPartition, OffsetAndMetadata> out = Map.copyOf(offsets);
        offsets.clear();
        since = null;
        return out;
    }
}
