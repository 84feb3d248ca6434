package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.Event;
import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.model.Workload;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nodes hardened, on a real Docker engine with the image cms/workload:dev: a node's container runs with no new
 * privileges, no capabilities, a pids limit, a read-only root and as nobody, and still serves requests and
 * jobs; inside it a write to the root fails and a fork bomb stops at the limit and is cleaned up. With
 * {@code CMS_IMAGE_ALLOW=cms/*} an image outside the list is refused with 403 whichever way it comes (API,
 * {@code cloud}, a request written straight to admin-requests), and a launch command forged onto the commands
 * topic is refused by the node daemon before anything is pulled. One cluster for the class (host it-harden).
 */
class DockerHardeningIT {

    private static final String HOST = "it-harden";
    private static final int PIDS = 128;
    private static final String ALLOW = "cms/*,registry.example.com/team/*";
    private static final EventCodec CODEC = new EventCodec();
    private static TestCluster cms;
    private static int frontendPort;

    @BeforeAll
    static void cluster() throws Exception {
        RealParts.require("a Docker engine with the image cms/workload:dev (deploy/images/build.sh)",
                () -> run("docker", "image", "inspect", "-f", "ok", "cms/workload:dev").out().equals("ok"));
        removeLeftovers();
        frontendPort = freePort();
        cms = new TestCluster().withResourceManager(Map.of("CMS_IMAGE_ALLOW", ALLOW, "CMS_RM_DRAIN_TIMEOUT_MS", "300"))
                .withHost(HOST, Map.of("CMS_NODE_DRIVER", "docker", "CMS_NODE_PIDS_LIMIT", String.valueOf(PIDS),
                        "CMS_IMAGE_ALLOW", ALLOW))
                .withWeb(Map.of()).withBalancer(Map.of("CMS_BALANCER", "embedded"));
        assertEquals(0, cms.cloud("pod", "register", "hard", "--frontend-port", String.valueOf(frontendPort)).exit());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cms != null) {
            cms.close();
        }
        removeLeftovers();
    }

    @Test
    void aNodeRunsConfinedAsNobodyAndStillServesRequestsAndJobs() throws Exception {
        String id = launchOnline("h1");
        assertEquals("[\"no-new-privileges:true\"] [\"ALL\"] null " + PIDS + " true {\"/tmp\":\"rw,nosuid,nodev,"
                + "size=64m,mode=1777\"} true", run("docker", "inspect", "-f", "{{json .HostConfig.SecurityOpt}} "
                + "{{json .HostConfig.CapDrop}} {{json .HostConfig.CapAdd}} {{.HostConfig.PidsLimit}} "
                + "{{.HostConfig.ReadonlyRootfs}} {{json .HostConfig.Tmpfs}} {{.HostConfig.Init}}", id).out());
        // the workload (a child of Docker's init) has no capability and cannot gain privileges
        String status = run("docker", "exec", id, "sh", "-c", "grep -E '^(Name|Uid|CapEff|CapPrm|NoNewPrivs)' "
                + "$(grep -l '^Name:.*java' /proc/[0-9]*/status 2>/dev/null)").out();
        assertTrue(status.matches("(?s)Name:\\s+java\\nUid:\\s+65534\\s.*"), status);
        assertTrue(status.matches("(?s).*CapPrm:\\s+0+\\nCapEff:\\s+0+\\n.*"), status);
        assertTrue(status.contains("NoNewPrivs:\t1"), status);

        JsonNode n = node("h1");
        HttpCall health = HttpCall.get(n, "/health");
        assertEquals(200, health.status(), health.body());
        assertTrue(health.body().contains("\"node\":\"h1\""), health.body());
        // a job through the whole system: API, resource manager, balancer, node
        TestCluster.Run job = cms.cloud("job", "submit", "hard", "--payload", "{\"hello\":1}", "--wait", "60");
        assertEquals(0, job.exit(), job::toString);
    }

    @Test
    void insideANodeAWriteToTheRootFailsEvenAsRootAndTmpIsWritable() throws Exception {
        String id = launchOnline("h2");
        Exec root = run("docker", "exec", "-u", "0", id, "sh", "-c", "echo x > /etc/cms-write-test");
        assertNotEquals(0, root.exit());
        assertTrue(root.out().contains("Read-only file system"), root.out());
        Exec jar = run("docker", "exec", "-u", "0", id, "sh", "-c", "echo x >> /opt/cms/workload.jar");
        assertTrue(jar.exit() != 0 && jar.out().contains("Read-only file system"), jar.out());
        assertEquals(new Exec(0, "x"), run("docker", "exec", id, "sh", "-c", "echo x > /tmp/t && cat /tmp/t"));
        assertEquals(200, HttpCall.get(node("h2"), "/health").status());
    }

    /**
     * A fork bomb that cleans up after itself: it forks long sleepers until a fork fails; its exit trap (shell
     * builtins only, no fork) then reads the container's pids count and kills its own process group (the
     * exec'd shell leads one; the workload is in another). The fork fails at the pids limit, not the host's,
     * and the node answers and runs jobs afterwards.
     */
    @Test
    void aForkBombInsideANodeStopsAtThePidsLimitAndIsCleanedUp() throws Exception {
        String id = launchOnline("h3");
        int before = pids(id);
        long t0 = System.nanoTime();
        Exec bomb = run("docker", "exec", id, "sh", "-c", "trap 'for f in /sys/fs/cgroup/pids/pids.current "
                + "/sys/fs/cgroup/pids.current; do [ -r $f ] && read n < $f && echo pids=$n; done; kill -9 0' EXIT; "
                + "i=0; while [ $i -lt 5000 ]; do sleep 120 & i=$((i+1)); echo $i; done");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String[] lines = bomb.out().split("\n");
        String tail = String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
        assertTrue(bomb.out().contains("Cannot fork"), tail);
        // the exit trap's pids line may come before a last "Cannot fork" of a shell still running: look for it
        assertTrue(java.util.Arrays.asList(lines).contains("pids=" + PIDS),
                "the fork failed with the container at its limit: " + tail);
        // the loop echoes each count it reached; error lines of shells still running may interleave anywhere
        int started = java.util.Arrays.stream(lines).map(String::trim).filter(l -> l.matches("\\d+"))
                .mapToInt(Integer::parseInt).max().orElse(0);
        assertTrue(started > 10 && started < PIDS, tail);
        System.out.printf("fork bomb in a node: %d processes started, then 'Cannot fork' at the pids limit %d (%d "
                + "before) in %.2f s%n", started, PIDS, before, seconds);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> pids(id) <= before + 5);
        assertEquals("ONLINE", node("h3").get("state").asText());
        assertEquals(200, HttpCall.get(node("h3"), "/health").status());
        HttpCall job = HttpCall.post(node("h3"), "/job", "after the bomb");
        assertEquals(200, job.status(), job.body());
    }

    @Test
    void anImageOutsideTheAllowListIsRefusedWith403WhicheverWayItComesAndNothingChanges() throws Exception {
        JsonHttp api = cms.api();
        List<String> podsBefore = podNames(api);
        String expected = "image 'nginx:1.27' is not allowed: CMS_IMAGE_ALLOW is " + ALLOW;

        JsonHttp.Response r = api.post("/api/pods", "{\"name\":\"evil\",\"image\":\"nginx:1.27\",\"port\":80}");
        assertEquals(403, r.status(), r::toString);
        assertEquals(expected, r.text("error"));
        TestCluster.Run cloud = cms.cloud("pod", "register", "evil", "--image", "nginx:1.27", "--port", "80");
        assertEquals(CloudCommand.REFUSED, cloud.exit(), cloud::toString);
        assertTrue(cloud.err().contains(expected), cloud.err());
        // straight onto admin-requests, past the web: the resource manager refuses it the same way
        AdminRequest.RegisterPod forged = new AdminRequest.RegisterPod(Ids.next(), 1, Instant.now(), "evil", null,
                "docker.io/library/nginx:1.27", 80, null, null, null, null, null);
        produce(Topics.ADMIN_REQUESTS, forged.key(), forged);
        AdminReply reply = await().atMost(Duration.ofSeconds(30)).until(() -> replyTo(forged.eventId()),
                Optional::isPresent).orElseThrow();
        assertEquals(403, reply.status());
        assertEquals("image 'docker.io/library/nginx:1.27' is not allowed: CMS_IMAGE_ALLOW is " + ALLOW, reply.message());

        assertEquals(404, api.get("/api/pods/evil").status());
        assertEquals(podsBefore, podNames(api), "no pod registered");
        assertFalse(cms.records(Topics.PODS.topicName()).stream().anyMatch(rec -> "evil".equals(rec.key())),
                "nothing written to pods about evil");
        // an image inside the list is registered
        assertEquals(201, api.post("/api/pods", "{\"name\":\"fine\",\"image\":\"cms/workload:dev\",\"port\":8080,"
                + "\"frontend_port\":" + freePort() + "}").status());
        assertEquals(200, api.delete("/api/pods/fine").status());
    }

    @Test
    void aLaunchCommandForgedOntoTheCommandsTopicIsRefusedByTheNodeDaemonBeforeAnyPull() throws Exception {
        String image = "registry.invalid/evil/miner:1";
        NodeCommand.LaunchNode forged = new NodeCommand.LaunchNode(Ids.next(), 1, Instant.now(), HOST, "forged1",
                "evil", Workload.image(image, 80, "/", "/"), 0.3, 100);
        produce(Topics.COMMANDS, forged.key(), forged);
        NodeEvent.NodeFailed failed = await().atMost(Duration.ofSeconds(30))
                .until(() -> nodeFailed("forged1"), Optional::isPresent).orElseThrow();
        assertTrue(failed.reason().contains("image '" + image + "' is not allowed: CMS_IMAGE_ALLOW is " + ALLOW
                + " (on host " + HOST + ")"), failed.reason());
        assertFalse(failed.reason().contains("pull"), failed.reason());
        assertEquals("", run("docker", "ps", "-aq", "--filter", "label=cms.node=forged1").out());
    }

    // ---- helpers ----

    private static List<String> podNames(JsonHttp api) {
        List<String> names = new java.util.ArrayList<>();
        api.get("/api/pods").data().forEach(p -> names.add(p.get("name").asText()));
        return names;
    }

    /** Registers and launches a node of pod hard, waits until it is ONLINE; its container id. */
    private static String launchOnline(String name) {
        assertEquals(0, cms.cloud("register", name, "hard").exit());
        await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("launch", "hard").exit() == 0);
        await().atMost(Duration.ofSeconds(45)).until(() -> state(name), s -> s.equals("ONLINE") || s.equals("FAILED"));
        assertEquals("ONLINE", state(name), () -> node(name).toString());
        return cms.daemons.get(0).nodes().stream().filter(n -> n.node().equals(name)).findFirst().orElseThrow()
                .driverId();
    }

    private static JsonNode node(String name) {
        for (JsonNode n : cms.api().get("/api/pods/hard").data().get("nodes")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }

    private static String state(String name) {
        JsonNode n = node(name);
        return n == null ? "GONE" : n.get("state").asText();
    }

    /** Processes and threads in the container now (its pids cgroup, as Docker reports it). */
    private static int pids(String id) throws Exception {
        return Integer.parseInt(run("docker", "stats", "--no-stream", "--format", "{{.PIDs}}", id).out());
    }

    private static void produce(Topics topic, String key, Event event) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(new cms.core.kafka.KafkaSettings(
                cms.broker.bootstrapServers()).producer("it-forger", null))) {
            p.send(new ProducerRecord<>(topic.topicName(), key, CODEC.encode(event))).get(30, TimeUnit.SECONDS);
        }
    }

    private static Optional<AdminReply> replyTo(String requestId) {
        return decoded(Topics.ADMIN_REPLIES, AdminReply.class).stream()
                .filter(r -> requestId.equals(r.requestId())).findFirst();
    }

    private static Optional<NodeEvent.NodeFailed> nodeFailed(String node) {
        return decoded(Topics.NODE_EVENTS, NodeEvent.class).stream()
                .filter(e -> e instanceof NodeEvent.NodeFailed f && f.node().equals(node))
                .map(e -> (NodeEvent.NodeFailed) e).findFirst();
    }

    private static <T extends Event> List<T> decoded(Topics topic, Class<T> type) {
        return cms.records(topic.topicName()).stream().filter(r -> r.value() != null).flatMap(r -> {
            try {
                return java.util.stream.Stream.of(CODEC.decode(r.value(), type));
            } catch (UndecodableRecordException e) {
                return java.util.stream.Stream.empty();
            }
        }).toList();
    }

    private static void removeLeftovers() throws Exception {
        for (String id : run("docker", "ps", "-aq", "--filter", "label=cms.host=" + HOST).out().split("\\s+")) {
            if (!id.isBlank()) {
                run("docker", "rm", "-f", id);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A command's exit code and its output (stdout and stderr), stripped. */
    record Exec(int exit, String out) {
    }

    private static Exec run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 60 s");
        }
        return new Exec(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    }

    /** One plain HTTP call to a node, at the address the resource manager has for it. */
    record HttpCall(int status, String body) {

        static HttpCall get(JsonNode node, String path) throws Exception {
            return send(node, "GET", path, null);
        }

        static HttpCall post(JsonNode node, String path, String body) throws Exception {
            return send(node, "POST", path, body);
        }

        private static HttpCall send(JsonNode node, String method, String path, String body) throws Exception {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://"
                    + node.get("address").asText() + ":" + node.get("port").asInt() + path))
                    .timeout(Duration.ofSeconds(30)).method(method, body == null
                            ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(b.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new HttpCall(r.statusCode(), r.body());
        }
    }
}
