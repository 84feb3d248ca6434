package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad names in paths are refused at the edge: the real server on a free port, with no Kafka and no
 * admin client or job submitter at all (null), so a request that got past the edge would fail with a
 * 500. Every registered route with a path parameter, with each parameter blank, too long and with a bad
 * character, answers 400 naming that parameter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathNamesTest {

    static final Map<String, String> GOOD = Map.of("pod", "light", "node", "a1", "host", "h1", "id", "job-1",
            "token", "0a1b2c3d4e5f");
    /** Per parameter: blank, over-long and bad-character values, as they are written in a URL. */
    static final Map<String, List<String>> BAD = Map.of(
            "pod", List.of("%20", "%20%20", "x".repeat(41), "UPPER", "a%20b", "a%21", "%C3%A4"),
            "node", List.of("%20", "x".repeat(41), "A1", "a%2Bb", "%C3%A4"),
            "host", List.of("%20", "h".repeat(254), "-h", "h%20b", "h%21", "h:1"),
            "id", List.of("%20", "a".repeat(129), "-a", "a%20b", "a%21"),
            "token", List.of("%20", "0A1B2C3D4E5F", "0a1b", "0a1b2c3d4e5f0", "zzzzzzzzzzzz"));

    private final TestWeb web = new TestWeb();
    private final EventCodec codec = web.codec;
    private final HttpClient http = web.http;
    private WebServer server;
    private TestAuth testAuth;

    @BeforeAll
    void start() {
        testAuth = web.auth;
        server = web.start();
    }

    @AfterAll
    void stop() {
        web.close();
    }

    /** The route's path with {@code bad} in place of {@code param} and good names elsewhere. */
    static String path(WebServer.Route route, String param, String bad) {
        Map<String, String> values = new java.util.HashMap<>(GOOD);
        values.put(param, bad);
        return route.with(values);
    }

    @Test
    void everyPathParameterIsCheckedAtTheEdge() throws Exception {
        int checked = 0;
        for (WebServer.Route route : server.routes()) {
            for (String param : route.params()) {
                for (String bad : BAD.get(param)) {
                    String path = path(route, param, bad);
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                            .method(route.method(), HttpRequest.BodyPublishers.ofString("{\"name\":\"a2\"}"))
                            .header("Authorization", testAuth.bearer());
                    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    String what = route.method() + " " + path + " -> " + r.statusCode() + " " + r.body();
                    assertEquals(400, r.statusCode(), what);
                    if (!route.path().startsWith("/api/")) { // a dashboard page: the error page says it
                        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), what);
                        assertTrue(r.body().contains(">" + param + ": "), what);
                        checked++;
                        continue;
                    }
                    JsonNode body = codec.mapper().readTree(r.body());
                    assertEquals(param, body.path("field").asText(), what);
                    assertTrue(body.path("error").asText().startsWith(param + ": "), what);
                    assertEquals(1, body.path("error").asText().lines().count(), what);
                    checked++;
                }
            }
        }
        assertTrue(checked > 100, "only " + checked + " cases: are the routes registered?");
    }

    @Test
    void theNodeListsPodQueryIsCheckedToo() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/nodes?pod=%20"))
                .header("Authorization", testAuth.bearer()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("pod", codec.mapper().readTree(r.body()).path("field").asText());
    }

    @Test
    void aRouteWithAParameterNoRuleCoversIsRefusedWhenRegistered() {
        assertThrows(IllegalStateException.class, () -> PathNames.requireRules(new WebServer.Route("GET",
                "/api/things/{thing}", cms.web.auth.ApiAuth.Access.READ)));
        PathNames.requireRules(new WebServer.Route("DELETE", "/api/pods/{pod}/nodes/{node}",
                cms.web.auth.ApiAuth.Access.OPERATE));
        assertFalse(server.routes().isEmpty());
    }
}
