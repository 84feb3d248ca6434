package cms.core.codec;

import cms.core.event.EventSamples;
import cms.core.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the golden fixture of every event type that has none yet, from {@link EventSamples}. Never
 * overwrites: a fixture is data, fixed once its version is published. Read each new file before
 * committing it. Run from the rm-core directory with the test classpath, e.g. {@code java -cp
 * target/classes:target/test-classes:$(cat cp.txt) cms.core.codec.GoldenFixtureWriter}.
 */
public final class GoldenFixtureWriter {

    static final Path ROOT = Path.of("src", "test", "resources", "golden");

    private GoldenFixtureWriter() {
    }

    /** Where the version-1 fixture of a type lives, relative to the classpath root. */
    static String resource(Topics topic, Class<?> type) {
        return "golden/" + topic.topicName() + "/" + type.getSimpleName() + ".v1.json";
    }

    public static void main(String[] args) throws IOException {
        EventCodec codec = new EventCodec();
        for (Topics topic : Topics.all()) {
            for (Class<?> type : EventSamples.concreteTypes(topic)) {
                Path file = ROOT.getParent().resolve(resource(topic, type));
                if (Files.exists(file)) {
                    continue;
                }
                Files.createDirectories(file.getParent());
                String json = codec.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(EventSamples.of(type));
                Files.writeString(file, json + "\n");
                System.out.println("wrote " + file);
            }
        }
        for (var shape : EventSamples.shapes().entrySet()) {
            Path file = ROOT.resolve(shape.getKey() + ".json");
            if (!Files.exists(file)) {
                Files.writeString(file, codec.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(shape.getValue()) + "\n");
                System.out.println("wrote " + file);
            }
        }
    }
}
