package cms.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.event.Event;
import cms.core.event.EventSamples;
import cms.core.event.PodsRecord;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every concrete event type of every topic survives encode then decode as its topic's type. */
class EventRoundTripTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void everyConcreteTypeHasASampleAndNoOther() {
        List<Class<?>> all = new ArrayList<>();
        Topics.all().forEach(topic -> all.addAll(EventSamples.concreteTypes(topic)));
        assertEquals(Set.copyOf(all), EventSamples.all().keySet(),
                "EventSamples must hold exactly one sample per concrete event type");
    }

    @Test
    void everyConcreteTypeBelongsToOneTopicOnly() {
        Set<Class<?>> seen = new HashSet<>();
        for (Topics topic : Topics.all()) {
            for (Class<?> type : EventSamples.concreteTypes(topic)) {
                assertTrue(seen.add(type), type.getSimpleName() + " is on two topics");
            }
        }
        assertFalse(seen.isEmpty());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(EventSamples.TOPIC_TYPES)
    void decodesToAnEqualEvent(Topics topic, String name, Class<?> type) throws Exception {
        Event sample = EventSamples.of(type);
        byte[] json = codec.encode(sample);
        Event decoded = codec.decode(json, topic.eventType());
        assertSame(type, decoded.getClass());
        assertEquals(sample, decoded, new String(json, StandardCharsets.UTF_8));
        assertEquals(sample.key(), decoded.key());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(EventSamples.TOPIC_TYPES)
    void jsonCarriesTheEnvelope(Topics topic, String name, Class<?> type) throws Exception {
        Event sample = EventSamples.of(type);
        JsonNode tree = codec.mapper().readTree(codec.encode(sample));
        assertEquals(name, tree.path("type").asText(), "type");
        assertTrue(tree.path("v").isInt(), "v is a number");
        assertEquals(1, tree.path("v").asInt(), "v");
        assertEquals(sample.eventId(), tree.path("eventId").asText(), "eventId");
        assertEquals(sample.at().toString(), tree.path("at").asText(), "at is ISO-8601 text");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(EventSamples.TOPIC_TYPES)
    void sampleIsKeyedByWhatItIsAbout(Topics topic, String name, Class<?> type) {
        Event sample = EventSamples.of(type);
        assertTrue(topic.eventType().isInstance(sample));
        assertFalse(sample.key() == null || sample.key().isBlank(), "key");
    }

    @Test
    void builtinWorkloadIsWrittenAsItsWord() throws Exception {
        JsonNode tree = codec.mapper().readTree(codec.mapper().writeValueAsBytes(
                Workload.builtin(Workload.Builtin.MEDIUM)));
        assertEquals("medium", tree.path("builtin").asText(), tree.toString());
        assertFalse(tree.has("image"), "null fields are left out");
    }

    @Test
    void imageWorkloadReadsBackAsNotBuiltin() throws Exception {
        Workload image = Workload.image("nginx:1.27", 80, "/healthz", "/work");
        Workload back = codec.mapper().readValue(codec.mapper().writeValueAsBytes(image), Workload.class);
        assertEquals(image, back);
        assertNull(back.builtin(), "builtin");
        assertFalse(back.isBuiltin(), "isBuiltin");
    }

    @Test
    void aPodsOwnTimeRulesTravelWithItsSnapshotAndAnEnableRequest() throws Exception {
        PodsRecord.PodSnapshot sample = (PodsRecord.PodSnapshot) EventSamples.of(PodsRecord.PodSnapshot.class);
        Pod pod = sample.pod().withElasticity(sample.pod().elasticity().withTimeRules(5, 60, 3, 10));
        PodsRecord.PodSnapshot snapshot = new PodsRecord.PodSnapshot(sample.eventId(), 1, sample.at(), pod);
        byte[] json = codec.encode(snapshot);
        assertEquals(snapshot, codec.decode(json, PodsRecord.class));
        JsonNode elasticity = codec.mapper().readTree(json).path("pod").path("elasticity");
        assertEquals(5, elasticity.path("scaleOutWindowSeconds").asInt(), elasticity.toString());
        assertEquals(60, elasticity.path("scaleInWindowSeconds").asInt());
        assertEquals(3, elasticity.path("scaleOutCooldownSeconds").asInt());
        assertEquals(10, elasticity.path("scaleInCooldownSeconds").asInt());
        assertFalse(codec.mapper().readTree(codec.encode(sample)).path("pod").path("elasticity")
                .has("scaleInWindowSeconds"), "unset: left out, so v1 readers see the v1 shape");
        AdminRequest.EnableElasticity enable = new AdminRequest.EnableElasticity("e-1", 1, sample.at(), "light", 1, 5,
                null, null, null, null, 5, 60, null, 10);
        assertEquals(enable, codec.decode(codec.encode(enable), AdminRequest.class));
    }

    @Test
    void listPagingFieldsAreOptionalAndRoundTrip() throws Exception {
        java.time.Instant at = java.time.Instant.parse("2025-03-01T10:15:30.123Z");
        AdminRequest.ListPods pods = new AdminRequest.ListPods("e-1", 1, at, 100, "light");
        assertEquals(pods, codec.decode(codec.encode(pods), AdminRequest.class));
        AdminRequest.ListNodes nodes = new AdminRequest.ListNodes("e-2", 1, at, null, 50, "a1");
        assertEquals(nodes, codec.decode(codec.encode(nodes), AdminRequest.class));
        cms.core.event.AdminReply reply = new cms.core.event.AdminReply("e-3", 1, at, "e-1", 200, null, "2 pod(s)",
                null, "light");
        assertEquals(reply, codec.decode(codec.encode(reply), cms.core.event.AdminReply.class));
        JsonNode plain = codec.mapper().readTree(codec.encode(new AdminRequest.ListPods("e-4", 1, at)));
        assertFalse(plain.has("limit") || plain.has("after"), "unset: left out, so v1 readers see the v1 shape");
    }
}
