package cms.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.Event;
import cms.core.event.EventSamples;
import cms.core.event.JobEvent;
import cms.core.event.NodeEvent;
import cms.core.event.NodeEvent.NodeStarting;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the codec says about values that are not events of their topic, and what it tolerates. */
class EventDecodingErrorsTest {

    private final EventCodec codec = new EventCodec();
    private final NodeStarting starting = (NodeStarting) EventSamples.of(NodeStarting.class);

    @Test
    void unknownTypeIsNamedInTheReason() {
        String reason = reason(edit(starting, json -> json.put("type", "NodeTeleported")), NodeEvent.class);
        assertTrue(reason.contains("NodeTeleported"), reason);
        assertTrue(reason.contains("NodeEvent"), reason);
    }

    @Test
    void missingTypeIsRefused() {
        String reason = reason(edit(starting, json -> json.remove("type")), NodeEvent.class);
        assertTrue(reason.contains("type"), reason);
    }

    @Test
    void typeOfAnotherTopicIsRefused() {
        String reason = reason(codec.encode(starting), JobEvent.class);
        assertTrue(reason.contains("NodeStarting"), reason);
    }

    @Test
    void typeOfAnotherTopicIsRefusedForASingleRecordTopic() {
        String reason = reason(codec.encode(starting), ScalingDecision.class);
        assertTrue(reason.contains("NodeStarting") && reason.contains("ScalingDecision"), reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"type\":\"NodeStarting\",", "[]", "\"NodeStarting\"", "42"})
    void brokenJsonIsRefusedWithAOneLineReason(String value) {
        String reason = reason(value.getBytes(StandardCharsets.UTF_8), NodeEvent.class);
        assertFalse(reason.isBlank());
        assertFalse(reason.contains("\n"), reason);
    }

    @Test
    void brokenJsonReasonNamesTheTopicType() {
        String reason = reason("{not json".getBytes(StandardCharsets.UTF_8), NodeEvent.class);
        assertTrue(reason.startsWith("not a valid NodeEvent"), reason);
    }

    @Test
    void emptyAndNullValuesAreRefused() {
        assertEquals("empty value", reason(new byte[0], NodeEvent.class));
        assertEquals("empty value", reason(null, NodeEvent.class));
    }

    @Test
    void jsonNullLiteralIsRefusedWithAReason() {
        byte[] value = "null".getBytes(StandardCharsets.UTF_8);
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                () -> codec.decode(value, NodeEvent.class));
        assertEquals("value is JSON null, not a NodeEvent", e.getMessage());
    }

    @Test
    void missingEventIdIsRefused() {
        String reason = reason(edit(starting, json -> json.remove("eventId")), NodeEvent.class);
        assertEquals("NodeStarting without eventId", reason);
        assertEquals(reason, reason(edit(starting, json -> json.put("eventId", " ")), NodeEvent.class));
    }

    @Test
    void missingTimeIsRefused() {
        String reason = reason(edit(starting, json -> json.remove("at")), NodeEvent.class);
        assertEquals("NodeStarting without time 'at'", reason);
    }

    @Test
    void missingOrZeroVersionIsRefused() {
        String reason = reason(edit(starting, json -> json.remove("v")), NodeEvent.class);
        assertEquals("NodeStarting without schema version v", reason);
        assertEquals(reason, reason(edit(starting, json -> json.put("v", 0)), NodeEvent.class));
    }

    @Test
    void missingKeyFieldIsRefused() {
        String reason = reason(edit(starting, json -> json.remove("node")), NodeEvent.class);
        assertEquals("NodeStarting without the id it is about", reason);
    }

    @Test
    void blankKeyFieldIsRefused() {
        Event queued = EventSamples.of(JobEvent.JobQueued.class);
        String reason = reason(edit(queued, json -> json.put("jobId", "")), JobEvent.class);
        assertEquals("JobQueued without the id it is about", reason);
    }

    @Test
    void keyThatWouldThrowIsRefusedNotThrown() {
        Event snapshot = EventSamples.of(PodsRecord.PodSnapshot.class);
        String reason = reason(edit(snapshot, json -> json.remove("pod")), PodsRecord.class);
        assertEquals("PodSnapshot without the id it is about", reason);
    }

    @Test
    void badlyTypedFieldIsRefused() {
        String reason = reason(edit(starting, json -> json.put("at", "yesterday")), NodeEvent.class);
        assertTrue(reason.startsWith("not a valid NodeEvent"), reason);
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        byte[] value = edit(starting, json -> {
            json.put("colour", "blue");
            json.putObject("extra").put("nested", true);
        });
        assertEquals(starting, codec.decode(value, NodeEvent.class));
    }

    @Test
    void laterVersionWithAnAddedFieldStillDecodes() throws Exception {
        byte[] value = edit(starting, json -> {
            json.put("v", 2);
            json.put("imageDigest", "sha256:abc");
        });
        NodeEvent decoded = codec.decode(value, NodeEvent.class);
        assertEquals(2, decoded.v());
        assertEquals(starting.node(), decoded.key());
        assertEquals(new NodeStarting(starting.eventId(), 2, starting.at(), starting.node(), starting.pod(),
                starting.hostId()), decoded);
    }

    @Test
    void missingOptionalFieldDecodesAsNull() throws Exception {
        NodeEvent decoded = codec.decode(edit(starting, json -> json.remove("hostId")), NodeEvent.class);
        assertNull(((NodeStarting) decoded).hostId());
    }

    private String reason(byte[] value, Class<? extends Event> type) {
        return assertThrows(UndecodableRecordException.class, () -> codec.decode(value, type)).getMessage();
    }

    private byte[] edit(Event event, Consumer<ObjectNode> change) {
        ObjectNode json = codec.mapper().valueToTree(event);
        change.accept(json);
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }
}
