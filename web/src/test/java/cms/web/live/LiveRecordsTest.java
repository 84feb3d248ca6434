package cms.web.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.MetricSample;
import cms.core.topic.Topics;
import cms.web.model.Kind;
import cms.web.model.LiveEvent;
import cms.web.model.LiveState;
import cms.web.model.PodRemoved;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class LiveRecordsTest {

    private final EventCodec codec = new EventCodec();
    private final LiveRecords records = new LiveRecords(codec, new cms.web.ApiJson(codec));

    private static ConsumerRecord<String, byte[]> record(Topics topic, String key, byte[] value, long ts) {
        return new ConsumerRecord<>(topic.topicName(), 1, 7, ts, TimestampType.CREATE_TIME, 0, 0, key, value,
                new RecordHeaders(), Optional.empty());
    }

    @Test
    void aMetricRecordBecomesAMetricsEventWhoseJsonNamesItsType() throws Exception {
        MetricSample.NodeSample s = new MetricSample.NodeSample("e1", 1, Instant.parse("2026-11-27T10:00:00Z"), "n1",
                "light", 0.42, 64);
        LiveRecords.Decoded d = records.decode(record(Topics.METRICS, "n1", codec.encode(s), 1234));
        assertEquals(Kind.METRICS, d.kind());
        assertEquals(s, d.event());
        LiveState state = new LiveState("b", 900_000, 100);
        LiveEvent e = state.apply(d.kind(), d.event(), 1234, d.json());
        JsonNode wire = codec.mapper().readTree(codec.mapper().writeValueAsString(e));
        assertEquals("metrics", wire.get("kind").asText());
        assertEquals("light", wire.get("pod").asText());
        assertEquals(1234, wire.get("ts").asLong());
        assertEquals("NodeSample", wire.get("event").get("type").asText());
        assertEquals(0.42, wire.get("event").get("cpu_share").asDouble(), "the API's spelling, as every answer");
        assertTrue(!wire.get("event").has("cpuShare"));
        assertEquals("e1", wire.get("event").get("event_id").asText());
        assertTrue(!wire.has("decoded"));
    }

    @Test
    void aPodsTombstoneIsAPodRemoved() throws Exception {
        LiveRecords.Decoded d = records.decode(record(Topics.PODS, "gone", null, 99));
        assertEquals(Kind.PODS, d.kind());
        PodRemoved r = (PodRemoved) d.event();
        assertEquals("gone", r.pod());
        assertEquals("PodRemoved", codec.mapper().readTree(d.json()).get("type").asText());
    }

    @Test
    void anUnreadableRecordIsRefused() {
        assertThrows(UndecodableRecordException.class, () -> records.decode(record(Topics.SCALING, "p",
                "{\"type\":\"Nope\"}".getBytes(StandardCharsets.UTF_8), 1)));
    }
}
