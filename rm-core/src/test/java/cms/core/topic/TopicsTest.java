package cms.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.Event;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The topic contract of DESIGN.md: names, partitions, cleanup policy and event type. */
class TopicsTest {

    private static final List<String> DESIGN_TOPICS = List.of("jobs", "job-events", "job-state", "commands",
            "node-events", "host-events", "metrics", "scaling", "pods", "admin-requests", "admin-replies", "tokens",
            "dead-letter");

    @Test
    void everyDesignTopicExistsAndNoOther() {
        List<String> names = Topics.all().stream().map(Topics::topicName).toList();
        assertEquals(DESIGN_TOPICS, names);
    }

    @Test
    void namesAreUnique() {
        Set<String> unique = Topics.all().stream().map(Topics::topicName).collect(Collectors.toSet());
        assertEquals(Topics.values().length, unique.size());
    }

    @ParameterizedTest
    @EnumSource(Topics.class)
    void byNameFindsEveryTopic(Topics topic) {
        assertSame(topic, Topics.byName(topic.topicName()));
    }

    @Test
    void byNameRefusesAnUnknownName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Topics.byName("Jobs"));
        assertTrue(e.getMessage().contains("Jobs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Topics.byName("PODS"));
    }

    @Test
    void onlyTheStateTopicsAreCompacted() {
        for (Topics topic : Topics.values()) {
            Topics.Cleanup expected = topic == Topics.PODS || topic == Topics.TOKENS || topic == Topics.JOB_STATE
                    ? Topics.Cleanup.COMPACT
                    : Topics.Cleanup.DELETE;
            assertEquals(expected, topic.cleanup(), topic.topicName());
        }
        assertEquals("pods", Topics.PODS.topicName());
    }

    @Test
    void jobStateRollsSegmentsAndDropsTombstonesSoonSoThatCompactionKeepsItNearItsLiveSize() {
        var configs = Topics.JOB_STATE.configs();
        assertEquals("compact", configs.get("cleanup.policy"));
        assertEquals(String.valueOf(16 * 1024 * 1024), configs.get("segment.bytes"));
        assertEquals("600000", configs.get("segment.ms"));
        assertEquals("300000", configs.get("delete.retention.ms"));
    }

    @ParameterizedTest
    @EnumSource(Topics.class)
    void hasPartitionsAndAnEventType(Topics topic) {
        assertTrue(topic.partitions() > 0, topic.topicName());
        assertTrue(Event.class.isAssignableFrom(topic.eventType()));
        assertTrue(topic.eventType().isSealed() || topic.eventType().isRecord(),
                topic.eventType() + " must be a sealed interface or a record");
    }

    @ParameterizedTest
    @EnumSource(Topics.class)
    void configsCarryTheCleanupPolicy(Topics topic) {
        assertEquals(topic.cleanup().config(), topic.configs().get("cleanup.policy"));
        if (topic.cleanup() == Topics.Cleanup.DELETE) {
            assertEquals("604800000", topic.configs().get("retention.ms"), "7 days");
        } else {
            assertTrue(topic.configs().containsKey("segment.ms"));
        }
    }

    @Test
    void cleanupWordsAreKafkas() {
        assertEquals("delete", Topics.Cleanup.DELETE.config());
        assertEquals("compact", Topics.Cleanup.COMPACT.config());
    }

    @Test
    void jobsAndJobEventsHaveTheMostPartitionsAndDeadLetterOne() {
        assertEquals(1, Topics.DEAD_LETTER.partitions());
        assertTrue(Topics.JOBS.partitions() >= Topics.COMMANDS.partitions());
    }
}
