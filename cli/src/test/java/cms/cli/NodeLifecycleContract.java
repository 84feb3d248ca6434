package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.nodedaemon.NodeDaemon;
import cms.nodedaemon.driver.RunningNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every node driver must do, shown through the whole system (resource manager, node daemon, web
 * API, {@code cloud}): one subclass per driver. Each test has its own cluster and cleans up its nodes.
 */
abstract class NodeLifecycleContract {

    static final Duration ONLINE_WITHIN = Duration.ofSeconds(45);
    private final HttpClient http = HttpClient.newHttpClient();
    TestCluster cms;

    /** Settings that choose this driver for the node daemon. */
    abstract Map<String, String> driverSettings();

    /** Kills the node behind the system's back (SIGKILL), as {@code docker kill} or {@code kill -9} would. */
    abstract void killBehindItsBack(RunningNode node) throws Exception;

    /** Checks the node runs with this CPU and memory limit. */
    abstract void assertLimits(RunningNode node, double cpus, int memoryMb) throws Exception;

    TestCluster cluster(Map<String, String> daemonExtra) throws Exception {
        Map<String, String> daemon = new HashMap<>(driverSettings());
        daemon.putAll(daemonExtra);
        cms = new TestCluster().withResourceManager(Map.of("CMS_RM_DRAIN_TIMEOUT_MS", "300"))
                .withHost("it-host", daemon).withWeb(Map.of());
        return cms;
    }

    @AfterEach
    void cleanUp() {
        if (cms != null) {
            cms.close();
        }
    }

    NodeDaemon daemon() {
        return cms.daemons.get(0);
    }

    JsonNode node(String pod, String name) {
        for (JsonNode n : new JsonHttp(cms.apiUrl).get("/api/pods/" + pod).data().get("nodes")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }

    String state(String pod, String name) {
        JsonNode n = node(pod, name);
        return n == null ? "GONE" : n.get("state").asText();
    }

    RunningNode running(String name) {
        return daemon().nodes().stream().filter(n -> n.node().equals(name)).findFirst().orElseThrow();
    }

    /** Registers a node in the pod, launches it and waits until it is ONLINE. */
    JsonNode launchOnline(String pod, String name) {
        assertEquals(0, cms.cloud("register", name, pod).exit());
        await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("launch", pod).exit() == 0);
        await().atMost(ONLINE_WITHIN).until(() -> state(pod, name), s -> s.equals("ONLINE") || s.equals("FAILED"));
        assertEquals("ONLINE", state(pod, name), () -> node(pod, name).toString());
        return node(pod, name);
    }

    HttpResponse<String> call(JsonNode node, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + node.get("address").asText() + ":"
                + node.get("port").asInt() + path)).timeout(Duration.ofSeconds(30));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void launchGivesAnOnlineNodeWithItsLimitsAndWorkingPaths() throws Exception {
        cluster(Map.of());
        assertEquals(0, cms.cloud("init").exit());
        JsonNode n1 = launchOnline("light", "n1");
        assertEquals("it-host", n1.get("hostId").asText());
        assertLimits(running("n1"), 0.3, 100);
        HttpResponse<String> health = call(n1, "GET", "/health", null);
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"node\":\"n1\""), health.body());
        HttpResponse<String> job = call(n1, "POST", "/job", "hello");
        assertEquals(200, job.statusCode());
        assertTrue(job.body().contains("\"node\":\"n1\"") && job.body().contains("\"input_bytes\":5"), job.body());
        assertTrue(cms.cloud("node", "ls", "light").out().matches("(?s).*n1\\s+light\\s+ONLINE\\s+it-host.*"));
    }

    @Test
    void rmStopsAndRemovesTheNode() throws Exception {
        cluster(Map.of());
        assertEquals(0, cms.cloud("init").exit());
        launchOnline("light", "n1");
        assertEquals(0, cms.cloud("rm", "n1", "light").exit());
        await().atMost(Duration.ofSeconds(30)).until(() -> state("light", "n1"), "GONE"::equals);
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon().nodes().isEmpty());
    }

    @Test
    void aNodeKilledBehindItsBackIsFailedWithinTwoSeconds() throws Exception {
        cluster(Map.of());
        assertEquals(0, cms.cloud("init").exit());
        launchOnline("light", "n1");
        killBehindItsBack(running("n1"));
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).until(() -> state("light", "n1"), "FAILED"::equals);
        double seconds = (System.nanoTime() - t0) / 1e9;
        JsonNode failed = node("light", "n1");
        assertTrue(failed.get("reason").asText().contains("137") || failed.get("reason").asText().contains("disappeared"),
                failed.toString());
        System.out.printf("node killed -> FAILED in %.2f s%n", seconds);
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon().nodes().isEmpty());
        // FAILED holds no capacity: the node can be removed at once and its name used again
        assertEquals(0, cms.cloud("rm", "n1", "light").exit());
        launchOnline("light", "n1");
    }

    @Test
    void badInputEndsFailedWithTheReasonAndLeavesNothingRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            cluster(Map.of("CMS_NODE_PORTS", String.valueOf(taken.getLocalPort())));
            assertEquals(0, cms.cloud("init").exit());
            assertEquals(0, cms.cloud("register", "p1", "light").exit());
            await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("launch", "light").exit() == 0);
            await().atMost(ONLINE_WITHIN).until(() -> state("light", "p1"), "FAILED"::equals);
            assertTrue(node("light", "p1").get("reason").asText().contains("already in use"), () -> node("light", "p1")
                    .toString());
            assertTrue(cms.cloud("node", "ls", "light").out().contains("already in use"));
        }
        assertEquals(0, cms.cloud("pod", "register", "huge", "--cpu", "64").exit());
        assertEquals(0, cms.cloud("register", "h1", "huge").exit());
        TestCluster.Run r = cms.cloud("launch", "huge");
        assertEquals(CloudCommand.REFUSED, r.exit());
        assertTrue(r.err().contains("larger than any host"), r.err());
        assertEquals("FAILED", state("huge", "h1"));
        badImage();
        assertEquals(List.of(), daemon().nodes(), "nothing left running");
    }

    /** A pod whose image this host cannot run ends FAILED with the reason. */
    abstract void badImage() throws Exception;

    static void killPid(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.strip();
    }
}
