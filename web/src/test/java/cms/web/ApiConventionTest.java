package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.model.Refusal;
import cms.web.ApiScenario.Exchange;
import cms.web.ApiScenario.Family;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One convention on every route, checked over every answer of {@link ApiScenarioCalls} (each route called, which
 * is checked too): every key of every JSON answer and streamed event is snake_case; every error is
 * {@code {"error", "field"}} and says the same fault in the same words; every list route pages with {@code limit}
 * and answers {@code next}.
 */
class ApiConventionTest {

    private static final List<Exchange> ALL = new ArrayList<>();
    private static List<WebServer.Route> routes;

    @BeforeAll
    static void callEveryRoute() throws Exception {
        for (Family f : Family.values()) {
            try (ApiScenario s = new ApiScenario()) {
                ALL.addAll(s.run(f));
                routes = s.web.server().routes();
            }
        }
    }

    private static boolean json(Exchange x) {
        return x.contentType().startsWith("application/json");
    }

    private static String path(Exchange x) {
        return x.shown().split("\\?")[0];
    }

    @Test
    void everyRouteIsCalled() {
        List<String> missed = new ArrayList<>();
        for (WebServer.Route r : routes) {
            Pattern p = Pattern.compile(r.path().replaceAll("\\{[^}]+}", "[^/]+"));
            boolean called = ALL.stream().anyMatch(x -> x.method().equals(r.method()) && x.status() < 400
                    && p.matcher(path(x)).matches());
            if (!called) {
                missed.add(r.method() + " " + r.path());
            }
        }
        assertEquals(List.of(), missed, "routes no call of the scenario answered");
    }

    @Test
    void everyKeyOfEveryAnswerAndStreamedEventIsSnakeCase() {
        List<String> bad = new ArrayList<>();
        int keys = 0;
        for (Exchange x : ALL) {
            if (path(x).equals("/openapi.json")) {
                continue; // the OpenAPI document's own keys are the specification's; its schemas are checked there
            }
            List<JsonNode> bodies = new ArrayList<>(x.events());
            if (x.body() != null) {
                bodies.add(x.body());
            }
            for (JsonNode b : bodies) {
                JsonShape.notSnakeCase(b).forEach(k -> bad.add(x.title() + ": " + k));
                keys += JsonShape.of(b).size();
            }
        }
        assertTrue(keys > 1000, "keys walked: " + keys);
        assertEquals(List.of(), bad);
    }

    @Test
    void everyErrorIsOneLineAndTheFieldAtFaultOrNull() {
        int errors = 0;
        for (Exchange x : ALL) {
            if (x.status() < 400 || !json(x)) {
                continue;
            }
            Set<String> keys = new TreeSet<>();
            x.body().fieldNames().forEachRemaining(keys::add);
            assertEquals(Set.of("error", "field"), keys, x.title() + ": " + x.body());
            assertTrue(x.body().get("error").isTextual(), x.title());
            assertEquals(1, x.body().get("error").asText().lines().count(), x.title());
            assertTrue(x.body().get("field").isNull() || x.body().get("field").isTextual(), x.title());
            errors++;
        }
        assertTrue(errors > 30, "errors seen: " + errors);
    }

    @Test
    void theSameFaultIsSaidInTheSameWordsOnEveryRoute() {
        Map<String, Refusal> unknown = Map.of("pod", Refusal.unknownPod("nope"), "node",
                Refusal.unknownNode("light", "ghost"), "host", Refusal.unknownHost("h9"), "id",
                Refusal.unknownJob("id", "nobody"), "token", Refusal.unknownToken("0a1b2c3d4e5f"));
        Set<String> seen = new TreeSet<>();
        for (Exchange x : ALL) {
            if (x.status() != 404 || !json(x) || x.body().get("field").isNull()) {
                continue;
            }
            String field = x.body().get("field").asText();
            assertEquals(unknown.get(field).message(), x.body().get("error").asText(), x.title());
            seen.add(field + " " + x.method() + " " + path(x));
        }
        assertTrue(seen.size() >= 14, "unknown names met: " + seen);
        assertTrue(seen.containsAll(List.of("pod POST /api/jobs", "pod GET /api/live/pods/nope",
                "pod GET /api/pods/nope", "id GET /api/jobs/nobody", "id POST /api/jobs/nobody/abort")), seen::toString);
        Exchange page = ALL.stream().filter(x -> path(x).equals("/pods/nope")).findFirst().orElseThrow();
        assertEquals(404, page.status());
    }

    @Test
    void everyListRoutePagesWithLimitAndNext() {
        List<String> lists = List.of("/api/pods", "/api/nodes", "/api/pods/light/nodes", "/api/hosts", "/api/jobs",
                "/api/tokens", "/api/live/events");
        for (String list : lists) {
            boolean paged = ALL.stream().anyMatch(x -> path(x).equals(list) && x.shown().contains("limit=")
                    && x.status() == 200 && x.body().hasNonNull("next"));
            assertTrue(paged, list + ": no answer with a limit had a next page");
            boolean last = ALL.stream().anyMatch(x -> path(x).equals(list) && x.shown().contains("after=")
                    && x.status() == 200 && !x.body().has("next"));
            assertTrue(last, list + ": no answer from a cursor ended the list (no next)");
        }
        assertFalse(routes.isEmpty());
    }
}
