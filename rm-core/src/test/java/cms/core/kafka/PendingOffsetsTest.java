package cms.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Offsets of polls that wrote nothing wait for a transaction that writes, at most the hold. */
class PendingOffsetsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final TopicPartition HOSTS = new TopicPartition("host-events", 0);
    private static final TopicPartition ADMIN = new TopicPartition("admin-requests", 1);

    @Test
    void quietPollsAreHeldUntilAPollWritesAndThenAllGoTogether() {
        PendingOffsets p = new PendingOffsets(Duration.ofSeconds(1));
        p.handled(HOSTS, 10, T0);
        assertFalse(p.due(false, T0.plusMillis(100)), "a heartbeat alone waits");
        p.handled(HOSTS, 11, T0.plusMillis(200));
        p.handled(ADMIN, 4, T0.plusMillis(300));
        assertTrue(p.due(true, T0.plusMillis(300)), "a poll that wrote takes them all");
        assertEquals(Map.of(HOSTS, new OffsetAndMetadata(12), ADMIN, new OffsetAndMetadata(5)), p.take());
        assertTrue(p.isEmpty());
        assertFalse(p.due(true, T0.plusSeconds(5)), "nothing to commit");
    }

    @Test
    void heldOffsetsAreCommittedOnceTheyWaitedTheHoldEvenIfNothingIsWritten() {
        PendingOffsets p = new PendingOffsets(Duration.ofSeconds(1));
        p.handled(HOSTS, 10, T0);
        p.handled(HOSTS, 20, T0.plusMillis(900));
        assertFalse(p.due(false, T0.plusMillis(999)));
        assertTrue(p.due(false, T0.plusSeconds(1)), "held since the first, not the last");
        assertEquals(Map.of(HOSTS, new OffsetAndMetadata(21)), p.take());
        p.handled(HOSTS, 21, T0.plusSeconds(2));
        assertFalse(p.due(false, T0.plusMillis(2500)), "the hold starts again after a commit");
    }

    @Test
    void withoutAHoldEveryPollCommits() {
        PendingOffsets p = new PendingOffsets(Duration.ZERO);
        p.handled(HOSTS, 1, T0);
        assertTrue(p.due(false, T0));
    }
}
