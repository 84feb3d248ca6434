package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.AdminRequest;
import cms.core.model.Names;
import cms.core.topic.Topics;
import cms.web.WebServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Bad names in paths against a real broker, resource manager and web service: every route that
 * WebServer registers with a path parameter, with that parameter blank, too long and with bad
 * characters, answers 400 naming the parameter within 500 ms (a dashboard page on its error page); none of them
 * reaches the resource manager (admin-requests holds only requests about good names) and none causes a dead letter.
 */
class EdgeNamesIT {

    private static final Map<String, String> GOOD = Map.of("pod", "light", "node", "a1", "id", "job-1",
            "host", "it-host", "token", "0a1b2c3d4e5f");
    private static final Map<String, List<String>> BAD = Map.of(
            "pod", List.of("%20", "%20%20%20", "x".repeat(41), "y".repeat(300), "UPPER", "a%20b", "a%21", "%C3%A4"),
            "node", List.of("%20", "x".repeat(41), "y".repeat(300), "A1", "a%2Bb", "%C3%A4"),
            "id", List.of("%20", "a".repeat(129), "-a", "a%20b", "a%21", "%C3%A4"),
            "host", List.of("%20", "h".repeat(254), "-h", "a%20b", "a%21", "%C3%A4"),
            "token", List.of("%20", "0A1B2C3D4E5F", "0a1b", "0a1b2c3d4e5f0", "zzzzzzzzzzzz"));
    private static final long BOUND_MS = 500;

    @Test
    void everyBadPathNameIsA400AtTheEdgeAndReachesNothing() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withHost("it-host").withWeb(Map.of())) {
            JsonHttp api = cms.api();
            assertEquals(201, api.post("/api/init", null).status());
            int requestsBefore = cms.records(Topics.ADMIN_REQUESTS.topicName()).size();
            int deadBefore = cms.records(Topics.DEAD_LETTER.topicName()).size();

            int cases = 0;
            long slowest = 0;
            List<String> routes = new ArrayList<>();
            for (WebServer.Route route : cms.web.routes()) {
                List<String> params = route.params();
                if (!params.isEmpty()) {
                    routes.add(route.method() + " " + route.path());
                }
                for (String param : params) {
                    for (String bad : BAD.get(param)) {
                        Map<String, String> values = new HashMap<>(GOOD);
                        values.put(param, bad);
                        String path = route.with(values);
                        long t0 = System.nanoTime();
                        JsonHttp.Response r = api.send(route.method(), path, "{\"name\":\"a2\",\"min\":1,\"max\":2}");
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        slowest = Math.max(slowest, ms);
                        String what = route.method() + " " + path + " -> " + r;
                        assertEquals(400, r.status(), what);
                        if (!route.path().startsWith("/api/")) { // a dashboard page: the error page says it
                            assertTrue(r.body().contains("data-status=\"400\"") && r.body().contains(">" + param
                                    + ": "), what);
                        } else {
                            assertNotNull(r.json(), what);
                            assertEquals(param, r.text("field"), what);
                            assertTrue(r.text("error").startsWith(param + ": "), what);
                        }
                        assertTrue(ms < BOUND_MS, what + " took " + ms + " ms");
                        cases++;
                    }
                }
            }
            assertTrue(routes.size() >= 15, "routes with path parameters: " + routes);
            assertEquals(400, api.get("/api/nodes?pod=%20").status());
            System.out.printf("EdgeNamesIT: %d bad names over %d routes, all 400 naming the field; slowest %d ms%n",
                    cases, routes.size(), slowest);

            // nothing reached the resource manager: admin-requests holds no new request, and no dead letter
            EventCodec codec = new EventCodec();
            List<ConsumerRecord<String, byte[]>> requests = cms.records(Topics.ADMIN_REQUESTS.topicName());
            for (ConsumerRecord<String, byte[]> r : requests.subList(requestsBefore, requests.size())) {
                AdminRequest request = codec.decode(r.value(), AdminRequest.class);
                assertTrue(Names.nameProblem(r.key()).isEmpty() || r.key().equals(AdminRequest.CLOUD_KEY),
                        "a request about a bad name reached admin-requests: " + request);
            }
            assertEquals(requestsBefore, requests.size(), "admin requests sent for bad names");
            assertEquals(deadBefore, cms.records(Topics.DEAD_LETTER.topicName()).size(), "dead letters caused");
            assertEquals(200, api.get("/api/pods/light").status(), "a good name still reaches the resource manager");
        }
    }
}
