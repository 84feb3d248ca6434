package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every admin route over real HTTP against a real broker, resource manager, node daemon and web service:
 * status codes, the JSON shapes ({@code message}/{@code data}, {@code error}/{@code field}), and that a
 * refused request changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiIT {

    private TestCluster cms;
    private JsonHttp api;

    @BeforeAll
    void start() throws InterruptedException {
        cms = new TestCluster().withResourceManager().withHost("it-host").withWeb(Map.of());
        api = cms.api();
    }

    @AfterAll
    void stop() {
        if (cms != null) {
            cms.close();
        }
    }

    private static JsonHttp.Response ok(JsonHttp.Response r, int status) {
        assertEquals(status, r.status(), r::toString);
        assertNotNull(r.json(), () -> "JSON body: " + r);
        assertNotNull(r.text("message"), () -> "message: " + r);
        assertNull(r.json().get("error"), r::toString);
        return r;
    }

    /** What a refused request could have changed: the pod names, and the pod itself (or its 404). */
    private String snapshot(String pod) {
        JsonHttp.Response all = api.get("/api/pods");
        assertEquals(200, all.status(), all::toString);
        StringBuilder names = new StringBuilder();
        all.data().forEach(p -> names.append(p.get("name").asText()).append(','));
        JsonHttp.Response one = api.get("/api/pods/" + pod);
        return names + " | " + one.status() + " " + one.json();
    }

    /** Calls, checks the error status, JSON shape and field, and that the pod and the pod list are unchanged. */
    private JsonHttp.Response refused(String pod, Supplier<JsonHttp.Response> call, int status, String field) {
        String before = snapshot(pod);
        JsonHttp.Response r = call.get();
        assertEquals(status, r.status(), r::toString);
        assertNotNull(r.json(), () -> "JSON body: " + r);
        assertNotNull(r.text("error"), r::toString);
        assertNull(r.json().get("data"), r::toString);
        assertEquals(field, r.text("field"), r::toString);
        assertEquals(before, snapshot(pod), () -> "state changed by refused request " + r);
        return r;
    }

    private static void contains(JsonHttp.Response r, String expected) {
        assertTrue(r.text("error").contains(expected), () -> "expected '" + expected + "' in " + r);
    }

    @Test
    void initCreatesTheDefaultPodsOnce() {
        JsonHttp.Response first = ok(api.post("/api/init", null), 201);
        assertEquals(3, first.data().size(), first::toString);
        assertEquals("light", first.data().get(0).get("name").asText());
        assertEquals(200, api.get("/api/pods/heavy").status());
        contains(refused("light", () -> api.post("/api/init", null), 409, null), "already initialised");
    }

    @Test
    void registerPodWithDefaultsAndRefusals() {
        JsonHttp.Response created = ok(api.post("/api/pods", "{\"name\":\"api-a\"}"), 201);
        JsonNode pod = created.data();
        assertEquals("api-a", pod.get("name").asText());
        assertEquals("light", pod.get("workload").get("builtin").asText());
        assertEquals(0.3, pod.get("cpu_limit").asDouble());
        assertEquals(100, pod.get("memory_mb").asInt());
        assertEquals(20, pod.get("node_limit").asInt());
        assertFalse(pod.get("paused").asBoolean());
        assertFalse(pod.get("elasticity").get("enabled").asBoolean());
        assertEquals(0, pod.get("nodes").size());

        contains(refused("bad-name", () -> api.post("/api/pods", "{\"name\":\"Bad Name\"}"), 400, "name"),
                "not a valid name");
        contains(refused("api-b", () -> api.post("/api/pods", "{\"name\":\"api-b\",\"cpu\":\"abc\"}"), 400, "cpu"),
                "not a number");
        contains(refused("api-b", () -> api.post("/api/pods", "{\"name\":\"api-b\",\"cpu\":0}"), 400, "cpu"),
                "must be above 0");
        contains(refused("api-b", () -> api.post("/api/pods", "{\"name\":\"api-b\""), 400, "body"),
                "not valid JSON");
        contains(refused("api-b", () -> api.post("/api/pods", "[1,2]"), 400, "body"), "JSON object");
        contains(refused("api-b", () -> api.post("/api/pods", "{\"name\":\"api-b\",\"memory\":64}"), 400, "memory"),
                "is not a field here");
        contains(refused("api-b", () -> api.post("/api/pods", "{\"name\":\"api-b\",\"memoryMb\":\"x\"}"), 400,
                "memory_mb"), "memory_mb: not a whole number");
        contains(refused("api-a", () -> api.post("/api/pods", "{\"name\":\"api-a\",\"cpu\":2}"), 409, null),
                "already exists");

        JsonHttp.Response got = ok(api.get("/api/pods/api-a"), 200);
        assertEquals(pod, got.data(), "GET answers what POST created");
        contains(refused("nope", () -> api.get("/api/pods/nope"), 404, "pod"), "no pod named 'nope'");
    }

    @Test
    void nodesAreRegisteredLaunchedAndRemoved() {
        ok(api.post("/api/pods", "{\"name\":\"api-n\"}"), 201);
        JsonNode n1 = ok(api.post("/api/pods/api-n/nodes", "{\"name\":\"n-1\"}"), 201).data();
        assertEquals("n-1", n1.get("name").asText());
        assertEquals("api-n", n1.get("pod").asText());
        assertEquals("NEW", n1.get("state").asText());
        ok(api.post("/api/pods/api-n/nodes", "{\"name\":\"n-2\"}"), 201);

        contains(refused("api-n", () -> api.post("/api/pods/api-n/nodes", "{\"name\":\"N 3\"}"), 400, "name"),
                "not a valid name");
        refused("api-n", () -> api.post("/api/pods/api-n/nodes", "{}"), 400, "name");
        contains(refused("ghost", () -> api.post("/api/pods/ghost/nodes", "{\"name\":\"n-9\"}"), 404, "pod"),
                "no pod named 'ghost'");
        contains(refused("api-n", () -> api.post("/api/pods/api-n/nodes", "{\"name\":\"n-1\"}"), 409, null),
                "node name n-1 is taken (in pod api-n)");

        // the daemon's first heartbeat may not have reached the resource manager yet: until then, no room
        JsonHttp.Response launched = await().atMost(Duration.ofSeconds(30))
                .until(() -> api.post("/api/pods/api-n/launch", null), r -> r.status() != 409);
        ok(launched, 202);
        assertEquals("n-1", launched.data().get("name").asText());
        assertEquals("STARTING", launched.data().get("state").asText());
        assertEquals("it-host", launched.data().get("host_id").asText());
        // the node daemon brings it ONLINE on its own: wait for that, so that the "state unchanged" checks
        // of the refused requests below compare a node at rest
        await().atMost(Duration.ofSeconds(30)).until(() -> ok(api.get("/api/pods/api-n"), 200).data()
                .get("nodes").get(0).get("state").asText(), "ONLINE"::equals);
        contains(refused("ghost", () -> api.post("/api/pods/ghost/launch", null), 404, "pod"), "no pod named");

        JsonHttp.Response removedNew = ok(api.delete("/api/pods/api-n/nodes/n-2"), 200);
        assertNull(removedNew.data(), removedNew::toString);
        JsonNode nodes = ok(api.get("/api/pods/api-n"), 200).data().get("nodes");
        assertEquals(1, nodes.size(), nodes::toString);
        contains(refused("api-n", () -> api.post("/api/pods/api-n/launch", null), 409, null), "no NEW node");
        contains(refused("api-n", () -> api.delete("/api/pods/api-n/nodes/n-2"), 404, "node"),
                "no node named 'n-2' in pod api-n");

        // with no balancer running, an ONLINE node being removed stays DRAINING until the drain timeout
        JsonHttp.Response stopping = ok(api.delete("/api/pods/api-n/nodes/n-1"), 202);
        assertEquals("DRAINING", stopping.data().get("state").asText());
        assertTrue(stopping.data().get("removing").asBoolean(), stopping::toString);
        JsonNode kept = ok(api.get("/api/pods/api-n"), 200).data().get("nodes").get(0);
        assertTrue(kept.get("removing").asBoolean(), "listed, marked removing, until observed STOPPED");

        contains(refused("api-n", () -> api.delete("/api/pods/api-n"), 409, null), "not STOPPED");
        contains(refused("api-n", () -> api.delete("/api/pods/api-n?force=maybe"), 400, "force"), "'maybe'");
        ok(api.delete("/api/pods/api-n?force=true"), 200);
        contains(refused("api-n", () -> api.get("/api/pods/api-n"), 404, "pod"), "no pod named 'api-n'");
        refused("api-n", () -> api.delete("/api/pods/api-n?force=true"), 404, "pod");
        refused("api-n", () -> api.post("/api/pods/api-n/nodes", "{\"name\":\"n-3\"}"), 404, "pod");
        ok(api.post("/api/pods", "{\"name\":\"api-m\"}"), 201);
        ok(api.post("/api/pods/api-m/nodes", "{\"name\":\"n-1\"}"), 201); // the removed pod's names are free
    }

    @Test
    void elasticityBoundsAndThresholds() {
        ok(api.post("/api/pods", "{\"name\":\"api-e\"}"), 201);
        String path = "/api/pods/api-e/elasticity";
        JsonNode policy = ok(api.put(path, "{\"min\":1,\"max\":3}"), 200).data();
        assertTrue(policy.get("enabled").asBoolean());
        assertEquals(1, policy.get("min").asInt());
        assertEquals(3, policy.get("max").asInt());

        contains(refused("api-e", () -> api.put(path, "{\"min\":3,\"max\":1}"), 400, "max"), "below min 3");
        contains(refused("api-e", () -> api.put(path, "{\"min\":1,\"max\":21}"), 400, "max"), "node limit 20");
        contains(refused("api-e", () -> api.put(path, "{\"min\":-1,\"max\":3}"), 400, "min"), "0 or more");
        contains(refused("api-e", () -> api.put(path, "{\"min\":\"abc\",\"max\":3}"), 400, "min"),
                "not a whole number");
        contains(refused("api-e", () -> api.put(path, "{\"max\":3}"), 400, "min"), "is required");
        refused("ghost", () -> api.put("/api/pods/ghost/elasticity", "{\"min\":1,\"max\":3}"), 404, "pod");
        contains(refused("api-e", () -> api.post("/api/pods/api-e/nodes", "{\"name\":\"e-1\"}"), 409, null),
                "elasticity is enabled on pod api-e");

        JsonNode lower = ok(api.put(path + "/lower_threshold", "{\"value\":0.3}"), 200).data();
        assertEquals(0.3, lower.get("lower_threshold").asDouble());
        JsonNode upper = ok(api.put(path + "/upper_threshold", "{\"value\":0.9}"), 200).data();
        assertEquals(0.3, upper.get("lower_threshold").asDouble());
        assertEquals(0.9, upper.get("upper_threshold").asDouble());

        contains(refused("api-e", () -> api.put(path + "/upper_threshold", "{\"value\":0.35}"), 400,
                "value"), "at least 0.1 apart");
        contains(refused("api-e", () -> api.put(path + "/lower_threshold", "{\"value\":1.5}"), 400,
                "value"), "within [0, 1]");
        contains(refused("api-e", () -> api.put(path + "/lower_threshold", "{\"value\":0.95}"), 400,
                "value"), "apart");
        contains(refused("api-e", () -> api.put(path + "/lower_threshold", "{\"value\":\"abc\"}"), 400,
                "value"), "not a number");
        refused("api-e", () -> api.put(path + "/upper_threshold", "{}"), 400, "value");

        ok(api.delete(path), 200);
        JsonNode after = ok(api.get("/api/pods/api-e"), 200).data().get("elasticity");
        assertFalse(after.get("enabled").asBoolean());
        assertEquals(0.9, after.get("upper_threshold").asDouble(), "disable keeps the settings");
    }

    @Test
    void healthOpenApiAndUnknownRoutes() {
        JsonHttp.Response health = api.get("/api/health");
        assertEquals(200, health.status(), health::toString);
        assertEquals("UP", health.text("status"), health::toString);
        assertEquals("UP", health.text("kafka"), health::toString);
        assertEquals("UP", health.text("resource_manager"), health::toString);
        // one process: the loops of every service it runs, each running
        assertEquals(Map.of("cms-node-daemon-it-host", "RUNNING", "cms-rm", "RUNNING", "cms-web-jobs", "RUNNING",
                "cms-web-live", "RUNNING", "cms-web-replies", "RUNNING", "cms-web-tokens", "RUNNING"), health.loops(),
                health::toString);
        health.json().path("loops").forEach(l -> assertTrue(l.path("since_progress_ms").asLong() < 30_000,
                health::toString));

        JsonHttp.Response openApi = api.get("/openapi.json");
        assertEquals(200, openApi.status());
        assertNotNull(openApi.json(), "openapi.json is JSON");
        assertTrue(openApi.text("openapi").startsWith("3."), openApi.text("openapi"));
        assertTrue(openApi.json().get("paths").has("/api/pods/{pod}/nodes/{node}"));

        JsonHttp.Response unknown = api.get("/api/no-such-route");
        assertEquals(404, unknown.status(), unknown::toString);
        assertNotNull(unknown.json(), () -> "a 404 for an unknown route is JSON: " + unknown);
        assertEquals("no route GET /api/no-such-route (GET /openapi.json lists the routes)", unknown.text("error"),
                unknown::toString);
        assertTrue(unknown.json().has("field") && unknown.json().get("field").isNull(), unknown::toString);
    }
}
