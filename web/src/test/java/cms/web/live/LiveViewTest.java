package cms.web.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.config.Settings;
import cms.core.event.PodsRecord;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.core.topic.Topics;
import cms.web.model.LiveState;
import cms.web.model.StreamCursor;
import cms.web.model.StreamFilter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The live view as its consumer loop's handler, without Kafka: a record it cannot read is thrown to the
 * loop (which sends it to dead-letter); the first opening keeps the state, a reopening after a fault
 * starts a new one under a new boot id and ends the open streams, so that their clients resume from it.
 */
class LiveViewTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private final EventCodec codec = new EventCodec();
    private final LiveView view = new LiveView(LiveConfig.from(new Settings(Map.of("CMS_KAFKA", "127.0.0.1:9"))), codec,
            Clock.fixed(T0, ZoneOffset.UTC));

    private ConsumerRecord<String, byte[]> snapshot(String pod) {
        Pod p = new Pod(pod, Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false, ElasticityPolicy.disabled(),
                List.of(), T0, 5000);
        return new ConsumerRecord<>(Topics.PODS.topicName(), 0, 0, pod,
                codec.encode(new PodsRecord.PodSnapshot("e-" + pod, 1, T0, p)));
    }

    @Test
    void aReopeningReadsIntoANewStateAndEndsTheOpenStreams() throws Exception {
        view.onOpen(null);
        String boot = view.read(LiveState::boot);
        view.apply(snapshot("light"));
        Subscriber stream = view.subscribe(StreamFilter.ALL, StreamCursor.LIVE);
        view.apply(snapshot("medium"));
        assertTrue(view.<Boolean>read(s -> s.hasPod("light") && s.hasPod("medium")));
        assertFalse(stream.ended());

        view.onOpen(null); // new clients after a fault: the topics are read again from their start positions
        assertNotEquals(boot, view.read(LiveState::boot), "events are numbered anew: a new boot id");
        assertFalse(view.<Boolean>read(s -> s.hasPod("light")), "the state is read again, not doubled");
        assertTrue(stream.ended(), "the stream ends; its client resumes from the new state");
    }

    @Test
    void aRecordItCannotReadIsThrownToTheLoop() {
        ConsumerRecord<String, byte[]> bad = new ConsumerRecord<>(Topics.METRICS.topicName(), 0, 3, "k",
                "not json".getBytes(StandardCharsets.UTF_8));
        assertThrows(UndecodableRecordException.class, () -> view.apply(bad));
        assertEquals(0, view.read(LiveState::logSize));
    }
}
