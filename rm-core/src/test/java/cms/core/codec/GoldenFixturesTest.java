package cms.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.Event;
import cms.core.event.EventSamples;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed JSON of each event type and version (src/test/resources/golden/TOPIC/TYPE.vN.json) still
 * decodes to the same event and encodes back to the same JSON. A fixture is never edited once published.
 */
class GoldenFixturesTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void everyTypeHasAVersionOneFixture() {
        List<String> missing = new ArrayList<>();
        for (Topics topic : Topics.all()) {
            for (Class<?> type : EventSamples.concreteTypes(topic)) {
                String resource = GoldenFixtureWriter.resource(topic, type);
                if (getClass().getClassLoader().getResource(resource) == null) {
                    missing.add(resource);
                }
            }
        }
        assertEquals(List.of(), missing, "golden fixtures missing; GoldenFixtureWriter writes them");
    }

    @Test
    void everyFixtureBelongsToAKnownTopicAndType() throws IOException, URISyntaxException {
        URL root = getClass().getClassLoader().getResource("golden");
        assertNotNull(root, "golden fixture folder");
        Set<String> known = Topics.all().stream().flatMap(topic -> EventSamples.concreteTypes(topic).stream()
                .map(type -> topic.topicName() + "/" + type.getSimpleName())).collect(Collectors.toSet());
        Path dir = Path.of(root.toURI());
        Set<String> stray = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/'))
                    .filter(f -> !f.matches("[a-z-]+/[A-Za-z]+\\.v[1-9][0-9]*(\\.[a-z-]+)?\\.json")
                            || !known.contains(f.substring(0, f.indexOf('.'))))
                    .forEach(stray::add);
        }
        assertEquals(Set.of(), stray, "fixtures of no known topic/type (was a type renamed?)");
        assertTrue(known.size() > 0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(EventSamples.TOPIC_TYPES)
    void fixtureDecodesToTheSample(Topics topic, String name, Class<?> type) throws Exception {
        Event decoded = codec.decode(fixture(topic, type), topic.eventType());
        assertEquals(EventSamples.of(type), decoded);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource(EventSamples.TOPIC_TYPES)
    void fixtureEncodesBackToTheSameJson(Topics topic, String name, Class<?> type) throws Exception {
        byte[] fixture = fixture(topic, type);
        JsonNode expected = codec.mapper().readTree(fixture);
        JsonNode actual = codec.mapper().readTree(codec.encode(codec.decode(fixture, topic.eventType())));
        assertEquals(expected, actual);
    }

    static Stream<Arguments> shapes() {
        return EventSamples.shapes().keySet().stream().map(Arguments::of);
    }

    /** A later shape of a type (optional fields added since its first fixture) decodes and encodes back too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void laterShapesDecodeToTheirSampleAndEncodeBack(String name) throws Exception {
        Event sample = EventSamples.shapes().get(name);
        Topics topic = Topics.byName(name.substring(0, name.indexOf('/')));
        byte[] fixture = read("golden/" + name + ".json");
        assertEquals(sample, codec.decode(fixture, topic.eventType()));
        assertEquals(codec.mapper().readTree(fixture), codec.mapper().readTree(codec.encode(sample)));
    }

    private byte[] fixture(Topics topic, Class<?> type) throws IOException {
        return read(GoldenFixtureWriter.resource(topic, type));
    }

    private byte[] read(String resource) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, "missing golden fixture " + resource);
            return in.readAllBytes();
        }
    }
}
