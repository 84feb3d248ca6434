package cms.core.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/kafka/topics.tsv is what operators (and deploy/kafka/topics.sh) use to create the CMS topics on a
 * real cluster; it must list exactly the {@link Topics} of the code, in order, with the same partitions and
 * cleanup policy.
 */
class TopicDefinitionsFileTest {

    /** One data row of topics.tsv. */
    private record Row(String name, int partitions, String cleanupPolicy) {
    }

    private static Path definitionsFile() {
        // Maven runs the tests of rm-core in the rm-core directory; an IDE may run them from the root.
        List<Path> candidates = List.of(Path.of("..", "deploy", "kafka", "topics.tsv"),
                Path.of("deploy", "kafka", "topics.tsv"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new AssertionError("deploy/kafka/topics.tsv not found from " + Path.of("").toAbsolutePath()
                + " (tried " + candidates + ")");
    }

    private static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            assertEquals(3, cols.length, file + " line " + (i + 1) + ": expected 3 tab-separated columns: " + line);
            int partitions;
            try {
                partitions = Integer.parseInt(cols[1]);
            } catch (NumberFormatException e) {
                throw new AssertionError(file + " line " + (i + 1) + ": partitions is not a number: " + cols[1], e);
            }
            rows.add(new Row(cols[0], partitions, cols[2]));
        }
        return rows;
    }

    @Test
    void fileStartsWithCommentHeader() throws IOException {
        List<String> lines = Files.readAllLines(definitionsFile(), StandardCharsets.UTF_8);
        assertTrue(!lines.isEmpty() && lines.get(0).startsWith("#"), "topics.tsv starts with a '#' header line");
    }

    @Test
    void fileListsExactlyTheTopicsOfTheCodeInOrder() throws IOException {
        List<Row> expected = Topics.all().stream()
                .map(t -> new Row(t.topicName(), t.partitions(), t.cleanup().config()))
                .toList();
        assertEquals(expected, read(definitionsFile()),
                "deploy/kafka/topics.tsv must mirror cms.core.topic.Topics (name, partitions, cleanup policy, order)");
    }
}
