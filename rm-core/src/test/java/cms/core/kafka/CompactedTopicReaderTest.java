package cms.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.testing.MutableClock;
import cms.core.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The read's timeout bounds a stall, not the read: a topic that keeps coming is read to its end however long. */
class CompactedTopicReaderTest {

    private static final Topics TOPIC = Topics.JOB_STATE;
    private static final TopicPartition P0 = new TopicPartition(TOPIC.topicName(), 0);
    private static final Duration STALL = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final List<String> read = new ArrayList<>();

    CompactedTopicReaderTest() {
        consumer.updatePartitions(TOPIC.topicName(),
                List.of(new PartitionInfo(TOPIC.topicName(), 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 100L));
    }

    /** At the next poll: {@code count} records from {@code from}, then the clock moves {@code by}. */
    private void nextPoll(int from, int count, Duration by) {
        consumer.schedulePollTask(() -> {
            for (int i = from; i < from + count; i++) {
                consumer.addRecord(new ConsumerRecord<>(TOPIC.topicName(), 0, i, "job-" + i, new byte[] {1}));
            }
            clock.advance(by);
        });
    }

    @Test
    void aReadLongerThanTheTimeoutSucceedsWhileRecordsKeepComing() {
        for (int i = 0; i < 10; i++) {
            nextPoll(i * 10, 10, Duration.ofSeconds(30)); // 300 s in all, 30 s between batches
        }
        int count = CompactedTopicReader.readAll(consumer, TOPIC, STALL, clock, r -> read.add(r.key()));

        assertEquals(100, count);
        assertEquals("job-99", read.get(99));
    }

    @Test
    void aReadThatStopsMovingFailsOnceTheTimeoutPassesWithoutProgress() {
        nextPoll(0, 10, Duration.ofSeconds(30));
        for (int i = 0; i < 10; i++) {
            nextPoll(10, 0, Duration.ofSeconds(25));
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CompactedTopicReader.readAll(consumer, TOPIC, STALL, clock, r -> read.add(r.key())));

        assertEquals(10, read.size());
        assertTrue(e.getMessage().contains("nothing came for 60 s"), e.getMessage());
        assertTrue(e.getMessage().contains("10 record(s) read"), e.getMessage());
    }

    @Test
    void readAsideTheSinkHasEveryRecordInOrderOnItsOwnThreadBeforeTheReadReturns() {
        for (int i = 0; i < 10; i++) {
            nextPoll(i * 10, 10, Duration.ofSeconds(1));
        }
        List<String> threads = new ArrayList<>();
        int count = CompactedTopicReader.readAllAside(consumer, TOPIC, STALL, clock, "test-decode", r -> {
            read.add(r.key());
            threads.add(Thread.currentThread().getName());
        });

        assertEquals(100, count);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("job-" + i);
        }
        assertEquals(expected, read);
        assertEquals(List.of("test-decode"), threads.stream().distinct().toList());
    }

    @Test
    void readAsideTheSinksFailureIsTheReadsAndTheReadStops() {
        for (int i = 0; i < 10; i++) {
            nextPoll(i * 10, 10, Duration.ofSeconds(1));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CompactedTopicReader.readAllAside(consumer, TOPIC, STALL, clock, "test-decode", r -> {
                    if (r.offset() == 25) {
                        throw new IllegalArgumentException("cannot apply offset 25");
                    }
                    read.add(r.key());
                }));

        assertEquals("cannot apply offset 25", e.getMessage());
        assertEquals(25, read.size(), "nothing after the failure");
        assertTrue(consumer.position(P0) < 100, "the read stopped before the end: at " + consumer.position(P0));
    }
}
