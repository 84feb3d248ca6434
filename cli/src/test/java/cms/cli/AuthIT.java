package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the running API's own {@code /openapi.json}, called with no token, a viewer's and an
 * operator's: 401 without one (a dashboard page sends the browser to /login), 403 for a role below the
 * operation's {@code x-cms-role}, neither for a role that may; the refused calls reach nothing (no admin request
 * on Kafka, no pod, no token changed). Then the tokens' life through {@code cloud} as an admin uses it:
 * created with a role, listed, refused above its role, revoked (refused from the next request on), and kept
 * across a restart of the web service and of the resource manager (they live on the {@code tokens} topic).
 */
class AuthIT {

    private static final Map<String, String> GOOD = Map.of("pod", "light", "node", "light-1", "host", "it-host",
            "id", "job-1", "token", "0a1b2c3d4e5f");
    private static final List<String> ROLES = List.of("none", "viewer", "operator", "admin");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One operation of the document: method, path with good names, the least role it needs. */
    record Operation(String method, String path, String role) {
    }

    @Test
    void everyOperationRefusesWhoMayNotAndTheRefusedCallsChangeNothing() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withWeb(Map.of())) {
            JsonHttp admin = cms.api();
            assertEquals(201, admin.post("/api/init", null).status());
            String viewer = create(admin, "sweep-viewer", "viewer");
            String operator = create(admin, "sweep-operator", "operator");

            JsonHttp.Response doc = admin.as(null).get("/openapi.json");
            assertEquals(200, doc.status(), "the document is public");
            List<Operation> ops = operations(doc.json());
            assertTrue(ops.size() >= 35, "operations: " + ops.size());

            String podsBefore = admin.get("/api/pods").data().toString();
            String tokensBefore = admin.get("/api/tokens").data().toString();
            int requestsBefore = cms.records(Topics.ADMIN_REQUESTS.topicName()).size();
            int refused = 0;
            List<String> wrong = new ArrayList<>();
            for (Operation op : ops) {
                int anonymous = status(cms.apiUrl, op, null);
                // a scraper, like an API client, gets 401 where a browser is sent to the login page
                boolean page = !op.path().startsWith("/api") && !op.path().equals("/openapi.json")
                        && !op.path().equals("/metrics") && !op.path().startsWith("/login");
                int expectAnonymous = op.role().equals("none") ? -1 : page ? 303 : 401;
                if (expectAnonymous != -1 && anonymous != expectAnonymous || expectAnonymous == -1 && anonymous == 401) {
                    wrong.add("no token: " + op + " -> " + anonymous);
                }
                refused += op.role().equals("none") ? 0 : 1;
                for (var who : List.of(Map.entry("viewer", viewer), Map.entry("operator", operator))) {
                    if (ROLES.indexOf(who.getKey()) < ROLES.indexOf(op.role())) {
                        int s = status(cms.apiUrl, op, who.getValue());
                        refused++;
                        if (s != 403) {
                            wrong.add(who.getKey() + ": " + op + " -> " + s + ", not 403");
                        }
                    }
                }
            }
            assertEquals(List.of(), wrong);
            // the only requests sent: the public /api/health's probe of the resource manager (a one-item ListPods)
            var codec = new cms.core.codec.EventCodec();
            var requests = cms.records(Topics.ADMIN_REQUESTS.topicName());
            for (var r : requests.subList(requestsBefore, requests.size())) {
                var request = codec.decode(r.value(), cms.core.event.AdminRequest.class);
                assertTrue(request instanceof cms.core.event.AdminRequest.ListPods l && Integer.valueOf(1).equals(l.limit()),
                        "a refused call sent an admin request: " + request);
            }
            assertEquals(podsBefore, admin.get("/api/pods").data().toString(), "pods changed by refused calls");
            assertEquals(tokensBefore, admin.get("/api/tokens").data().toString(), "tokens changed by refused calls");

            // allowed: each role's calls get past authentication (whatever the operation then answers)
            int allowed = 0;
            for (Operation op : ops) {
                for (var who : List.of(Map.entry("viewer", viewer), Map.entry("operator", operator))) {
                    if (!op.role().equals("none") && ROLES.indexOf(who.getKey()) >= ROLES.indexOf(op.role())) {
                        int s = status(cms.apiUrl, op, who.getValue());
                        allowed++;
                        if (s == 401 || s == 403) {
                            wrong.add(who.getKey() + " refused: " + op + " -> " + s);
                        }
                    }
                }
            }
            assertEquals(List.of(), wrong);
            System.out.printf("AuthIT: %d operations; %d refused calls (401/403, nothing changed), %d allowed%n",
                    ops.size(), refused, allowed);
        }
    }

    @Test
    void tokensAreMadeListedRefusedAboveTheirRoleRevokedAndKeptAcrossRestarts() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withWeb(Map.of())) {
            assertEquals(0, cms.cloud("init").exit());
            TestCluster.Run made = cms.cloud("token", "create", "ci", "--role", "viewer", "--ttl", "2h");
            assertEquals(0, made.exit(), made.err());
            String token = made.out().strip();
            assertTrue(token.startsWith("cms_"), made.out());
            assertTrue(made.err().contains("shown this once"), made.err());
            String id = token.substring(4, 16);

            TestCluster.Run ls = cms.cloud("token", "ls");
            assertTrue(ls.out().lines().anyMatch(l -> l.startsWith(id) && l.contains(" ci ") && l.contains("viewer")),
                    ls.out());
            assertTrue(!ls.out().contains(token.substring(17)), "a list never shows a secret");

            TestCluster.Run read = TestCluster.cloudAt(cms.apiUrl, token, "pod", "ls");
            assertEquals(0, read.exit(), read.err());
            TestCluster.Run write = TestCluster.cloudAt(cms.apiUrl, token, "pause", "light");
            assertEquals(CloudCommand.REFUSED, write.exit());
            assertTrue(write.err().contains("has the role viewer; this call needs operator"), write.err());
            TestCluster.Run status = TestCluster.cloudAt(cms.apiUrl, token, "auth", "status");
            assertTrue(status.out().contains("as ci (viewer, token " + id + ")"), status.out());

            TestCluster.Run bad = cms.cloud("token", "create", "x", "--role", "root");
            assertEquals(CloudCommand.REFUSED, bad.exit());
            assertTrue(bad.err().contains("role: 'root' is not one of viewer, operator, admin"), bad.err());
            TestCluster.Run none = TestCluster.cloudAt(cms.apiUrl, null, "pod", "ls");
            assertEquals(CloudCommand.REFUSED, none.exit());
            assertTrue(none.err().contains("no credential"), none.err());

            // another web service and a restarted resource manager read the tokens again from Kafka
            String restarted = cms.services.web(cms.settings(Map.of())).url();
            assertEquals(0, TestCluster.cloudAt(restarted, token, "pod", "ls").exit(), "kept across a web restart");
            cms.restartResourceManager();
            TestCluster.Run revoked = TestCluster.cloudAt(restarted, cms.token, "token", "revoke", id);
            assertEquals(0, revoked.exit(), revoked.err() + " (the restarted resource manager knows the token)");
            TestCluster.Run after = TestCluster.cloudAt(restarted, token, "pod", "ls");
            assertEquals(CloudCommand.REFUSED, after.exit(), "refused from the next request on");
            assertTrue(after.err().contains("unknown or revoked"), after.err());
            assertEquals(CloudCommand.REFUSED, TestCluster.cloudAt(restarted, cms.token, "token", "revoke", id).exit(),
                    "a second revoke: no such token");
        }
    }

    @Test
    void aHostIsListenedToOnlyOnceItJoinedWithAJoinTokenForItsId() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withWeb(Map.of())) {
            Map<String, String> process = Map.of("CMS_NODE_DRIVER", "process");
            cms.withHost("good"); // with a join token for its id, as every test host
            cms.withHost("stranger", Map.of("CMS_NODE_DRIVER", "process", "CMS_JOIN_TOKEN", ""));
            cms.withHost("borrower", Map.of("CMS_NODE_DRIVER", "process", "CMS_JOIN_TOKEN", cms.joinToken("someone")));
            await().atMost(Duration.ofSeconds(30)).until(() -> hosts(cms).contains("good"));
            // the others heartbeat every second all along, and are never heard
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> hosts(cms).equals(
                    java.util.Set.of("good")));
            assertEquals(0, cms.cloud("init").exit());
            assertEquals(0, cms.cloud("register", "n1", "light").exit());
            TestCluster.Run launched = cms.cloud("launch", "light");
            assertEquals(0, launched.exit(), launched.err());
            assertTrue(launched.out().contains("on host good"), launched.out());

            // the stranger joins the operator's way: a join token from the API, its daemon started with it
            TestCluster.Run join = cms.cloud("host", "join-token", "stranger", "--ttl", "5m");
            assertEquals(0, join.exit(), join.err());
            assertTrue(join.err().contains("join token") && join.err().contains("for host stranger"), join.err());
            cms.withHost("stranger", Map.of("CMS_NODE_DRIVER", "process", "CMS_JOIN_TOKEN", join.out().strip()));
            await().atMost(Duration.ofSeconds(30)).until(() -> hosts(cms).contains("stranger"));
            assertTrue(!hosts(cms).contains("borrower"), "a join token for another host admits nothing");
            TestCluster.Run viewer = TestCluster.cloudAt(cms.apiUrl, create(cms.api(), "v", "viewer"), "host",
                    "join-token", "x");
            assertEquals(CloudCommand.REFUSED, viewer.exit(), "join tokens are the admin's");
            assertEquals(CloudCommand.REFUSED, cms.cloud("host", "join-token", "y", "--ttl", "1h").exit(),
                    "at most 15 minutes");

            // admitted for good: a restart of the resource manager reads the admission back from Kafka
            cms.restartResourceManager();
            await().atMost(Duration.ofSeconds(30)).until(() -> hosts(cms).containsAll(java.util.Set.of("good",
                    "stranger")));
            System.out.println("AuthIT: hosts without a valid join token unheard; joined with one: " + hosts(cms));
        }
    }

    /** The hosts cloud host ls shows READY. */
    private static java.util.Set<String> hosts(TestCluster cms) {
        return cms.cloud("host", "ls").out().lines().filter(l -> l.contains(" READY"))
                .map(l -> l.split("\\s+")[0]).collect(java.util.stream.Collectors.toSet());
    }

    private static String create(JsonHttp admin, String name, String role) {
        JsonHttp.Response r = admin.post("/api/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertEquals(201, r.status(), r.toString());
        assertEquals(role, r.data().path("role").asText());
        return r.data().path("token").asText();
    }

    private static List<Operation> operations(JsonNode doc) {
        List<Operation> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (String method : List.of("get", "post", "put", "delete")) {
                JsonNode op = p.getValue().get(method);
                if (op != null) {
                    Map<String, String> values = new HashMap<>(GOOD);
                    String path = p.getKey();
                    for (var e : values.entrySet()) {
                        path = path.replace("{" + e.getKey() + "}", e.getValue());
                    }
                    String role = op.path("x-cms-role").asText();
                    assertTrue(ROLES.contains(role), method + " " + p.getKey() + ": x-cms-role '" + role + "'");
                    out.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), path, role));
                }
            }
        }
        return out;
    }

    /** The status of the call (the body is not read: {@code /api/stream} never ends). */
    private int status(String base, Operation op, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + op.path())).timeout(Duration.ofSeconds(30))
                .method(op.method(), Set.of("POST", "PUT").contains(op.method())
                        ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (Set.of("POST", "PUT").contains(op.method())) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        assertNotEquals(500, r.statusCode(), op + " answered 500");
        return r.statusCode();
    }
}
