package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import cms.web.ApiScenario.Exchange;
import cms.web.ApiScenario.Family;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shape of every route's answers, held by a golden file per route family ({@code golden/api-FAMILY.txt}): for
 * each call of {@link ApiScenarioCalls}, its status, content type and every key path with its JSON type, and an
 * error's words. A key
 * added, renamed or retyped changes a file: what the API's clients (the CLI, the dashboard, scripts) read changes,
 * and the change is seen in review. {@code -Dgolden.update=true} writes the files anew from the answers.
 */
class ApiGoldenTest {

    private static String render(List<Exchange> exchanges) {
        StringBuilder out = new StringBuilder();
        for (Exchange x : exchanges) {
            out.append("# ").append(x.title()).append('\n');
            // the OpenAPI document is the specification's JSON, checked by OpenApiDocumentTest, not an answer's shape
            boolean document = x.shown().equals("/openapi.json");
            List<String> shape = document ? List.of() : x.body() != null ? JsonShape.of(x.body())
                    : x.events().isEmpty() ? List.of() : JsonShape.of(new com.fasterxml.jackson.databind.ObjectMapper()
                    .valueToTree(x.events())).stream().map(l -> "event" + l).toList();
            shape.forEach(l -> out.append(l).append('\n'));
            if (x.status() >= 400 && x.body() != null) {
                out.append("= ").append(x.body().path("error").asText()).append('\n'); // the words, held as well
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void holds(Family family) throws Exception {
        String actual;
        try (ApiScenario s = new ApiScenario()) {
            actual = render(s.run(family));
        }
        String name = "golden/api-" + family.name().toLowerCase(java.util.Locale.ROOT) + ".txt";
        if (Boolean.getBoolean("golden.update")) {
            Path file = Path.of("src/test/resources").resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(golden(name), actual, family + ": the answers' shape differs from " + name
                + " (if the change is meant, run with -Dgolden.update=true and review the file's diff)");
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ApiGoldenTest.class.getResourceAsStream("/" + name)) {
            assertNotNull(in, name + " is missing: run once with -Dgolden.update=true");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pods() throws Exception {
        holds(Family.PODS);
    }

    @Test
    void nodes() throws Exception {
        holds(Family.NODES);
    }

    @Test
    void elasticity() throws Exception {
        holds(Family.ELASTICITY);
    }

    @Test
    void hosts() throws Exception {
        holds(Family.HOSTS);
    }

    @Test
    void jobs() throws Exception {
        holds(Family.JOBS);
    }

    @Test
    void tokens() throws Exception {
        holds(Family.TOKENS);
    }

    @Test
    void live() throws Exception {
        holds(Family.LIVE);
    }

    @Test
    void stream() throws Exception {
        holds(Family.STREAM);
    }

    @Test
    void pagesAndTheRest() throws Exception {
        holds(Family.PAGES);
    }
}
