package cms.core.kafka;

import cms.core.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What a consumer loop reads: as a member of a consumer group, or whole partitions it assigns itself. */
public sealed interface Subscription {

    /**
     * Topics read as a group member from the group's committed offsets (the group id is the consumer's
     * configuration). A transactional loop commits its offsets in its transactions; others commit after
     * each batch is handled (at least once).
     */
    record Group(List<Topics> topics) implements Subscription {
        public Group {
            topics = List.copyOf(topics);
        }
    }

    /**
     * Every partition of these topics, without a group: {@code fromBeginning} read from their start (a
     * reopened loop reads them again, so its handler rebuilds what it folds from them in {@code onOpen}),
     * {@code fromEnd} from their end at the time the loop opens, {@code fromWindow} from their first record
     * written at or after {@code window} before the time the loop opens (found with offsetsForTimes; their
     * end when there is none).
     */
    record Assigned(List<Topics> fromBeginning, List<Topics> fromEnd, List<Topics> fromWindow, Duration window)
            implements Subscription {
        public Assigned {
            fromBeginning = List.copyOf(fromBeginning);
            fromEnd = List.copyOf(fromEnd);
            fromWindow = List.copyOf(fromWindow);
            if (window.isNegative()) {
                throw new IllegalArgumentException("a window reaches back, got " + window);
            }
        }

        public Assigned(List<Topics> fromBeginning, List<Topics> fromEnd) {
            this(fromBeginning, fromEnd, List.of(), Duration.ZERO);
        }
    }

    /**
     * Every partition of {@code topic}, without a group, each from the offset {@code positions} gives (partition
     * number to offset) when the loop assigns them — after its handler's {@code onOpen}, which may choose them, e.g.
     * the end offsets it captured before reading a snapshot — or from its end when it gives none.
     */
    record Positioned(Topics topic, Supplier<Map<Integer, Long>> positions) implements Subscription {
    }

    static Subscription group(Topics... topics) {
        return new Group(List.of(topics));
    }

    static Subscription fromBeginning(Topics... topics) {
        return new Assigned(List.of(topics), List.of());
    }

    static Subscription fromEnd(Topics... topics) {
        return new Assigned(List.of(), List.of(topics));
    }
}
