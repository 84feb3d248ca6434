package cms.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Buffered records returned at once are followed by one short poll for those that came since; records a poll waited
 * for are not; a wakeup during the second poll keeps the first poll's records.
 */
class CatchUpPollTest {

    private static final TopicPartition P0 = new TopicPartition("jobs", 0);
    private static final Duration WAIT = Duration.ofMillis(2);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final AtomicLong nanos = new AtomicLong();

    CatchUpPollTest() {
        consumer.assign(List.of(P0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
    }

    /** At the next poll: the records at {@code offsets}, and the poll takes {@code took}. */
    private void nextPoll(Duration took, long... offsets) {
        consumer.schedulePollTask(() -> {
            for (long o : offsets) {
                consumer.addRecord(new ConsumerRecord<>(P0.topic(), 0, o, "job-" + o, new byte[] {1}));
            }
            nanos.addAndGet(took.toNanos());
        });
    }

    private static List<Long> offsets(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::offset).toList();
    }

    @Test
    void bufferedRecordsAreJoinedByThoseThatCameSince() {
        nextPoll(Duration.ZERO, 0, 1);
        nextPoll(Duration.ofMillis(1), 2, 3, 4);

        var records = new CatchUpPoll(WAIT, nanos::get).poll(consumer, Duration.ofMillis(200));

        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), offsets(records));
        assertEquals(WAIT, consumer.lastPollTimeout());
    }

    @Test
    void recordsThePollWaitedForAreFreshAndTakenAlone() {
        nextPoll(Duration.ofMillis(30), 0);
        nextPoll(Duration.ZERO, 1);

        var records = new CatchUpPoll(WAIT, nanos::get).poll(consumer, Duration.ofMillis(200));

        assertEquals(List.of(0L), offsets(records));
        assertEquals(List.of(1L), offsets(new CatchUpPoll(WAIT, nanos::get).poll(consumer, Duration.ZERO)));
    }

    @Test
    void anEmptyPollIsNotFollowedByAnother() {
        nextPoll(Duration.ZERO);
        nextPoll(Duration.ZERO, 0);

        assertEquals(List.of(), offsets(new CatchUpPoll(WAIT, nanos::get).poll(consumer, Duration.ZERO)));
        assertEquals(Duration.ZERO, consumer.lastPollTimeout());
    }

    @Test
    void aWakeupDuringTheSecondPollKeepsTheFirstPollsRecords() {
        nextPoll(Duration.ZERO, 0, 1);
        consumer.schedulePollTask(consumer::wakeup);

        var records = new CatchUpPoll(WAIT, nanos::get).poll(consumer, Duration.ofMillis(200));

        assertEquals(List.of(0L, 1L), offsets(records));
        assertEquals(2L, consumer.position(P0));
    }

    @Test
    void noWaitMeansNoSecondPoll() {
        nextPoll(Duration.ZERO, 0);
        nextPoll(Duration.ZERO, 1);

        assertEquals(List.of(0L), offsets(new CatchUpPoll(Duration.ZERO, nanos::get).poll(consumer, Duration.ZERO)));
    }
}
