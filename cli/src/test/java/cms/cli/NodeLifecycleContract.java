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
        for (JsonNode n : cms.api().get("/api/pods/" + pod).data().get("nodes")) {
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
        assertEquals("it-host", n1.get("host_id").asText());
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
            // restart policy never: p1 stays FAILED (with always it would run once the port is free again)
            assertEquals(0, cms.cloud("pod", "register", "lt", "--restart-policy", "never").exit());
            assertEquals(0, cms.cloud("register", "p1", "lt").exit());
            await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("launch", "lt").exit() == 0);
            await().atMost(ONLINE_WITHIN).until(() -> state("lt", "p1"), "FAILED"::equals);
            assertTrue(node("lt", "p1").get("reason").asText().contains("already in use"), () -> node("lt", "p1")
                    .toString());
            assertTrue(cms.cloud("node", "ls", "lt").out().contains("already in use"));
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

    /** Removes whatever this driver left on host it-host (for tests whose daemon ran in another process). */
    abstract void removeLeftovers(java.nio.file.Path nodeDir) throws Exception;

    @Test
    void aKilledDaemonRestartsAndAdoptsItsRunningNodes() throws Exception {
        cms = new TestCluster().withResourceManager(Map.of("CMS_RM_DRAIN_TIMEOUT_MS", "300")).withWeb(Map.of());
        java.nio.file.Path nodeDir = cms.dir.resolve("nodes-out-of-process");
        Map<String, String> env = new HashMap<>(driverSettings());
        env.putAll(Map.of("CMS_KAFKA", cms.broker.bootstrapServers(), "CMS_HOST_ID", "it-host", "CMS_NODE_DIR",
                nodeDir.toString(), "CMS_JOIN_TOKEN", cms.joinToken("it-host")));
        ServiceProcess daemon = ServiceProcess.start(cms.dir, "node-daemon", env, "node daemon: host it-host joined");
        try {
            assertEquals(0, cms.cloud("init").exit());
            JsonNode before = launchOnline("light", "n1");
            daemon.kill();
            daemon = ServiceProcess.start(cms.dir, "node-daemon", env, "node daemon: host it-host joined");
            ServiceProcess restarted = daemon;
            await().atMost(Duration.ofSeconds(10)).until(() -> restarted.output().contains("1 node(s) adopted"));
            JsonNode after = node("light", "n1");
            assertEquals("ONLINE", after.get("state").asText());
            assertEquals(before.get("port"), after.get("port"), "the same node, not a new one");
            assertEquals(200, call(after, "GET", "/health", null).statusCode());
            assertEquals(0, cms.cloud("register", "n2", "light").exit());
            assertEquals(0, cms.cloud("launch", "light").exit());
            await().atMost(ONLINE_WITHIN).until(() -> state("light", "n2"), "ONLINE"::equals);
            assertEquals(0, cms.cloud("rm", "n1", "light").exit());
            await().atMost(Duration.ofSeconds(30)).until(() -> state("light", "n1"), "GONE"::equals);
            assertEquals(1, cms.api().get("/api/pods/light").data().get("nodes").size());
        } finally {
            daemon.close();
            removeLeftovers(nodeDir);
        }
    }

    @Test
    void cpuSamplesFollowTheLoadUpToTheNodesLimit() throws Exception {
        cluster(Map.of());
        // the process driver limits CPU only where the machine lets it use cgroups (it logs when not)
        org.junit.jupiter.api.Assumptions.assumeTrue(enforcesCpuLimits(), "no CPU limits for this driver's nodes here");
        assertEquals(0, cms.cloud("pod", "register", "hv", "--workload", "heavy", "--cpu", "0.3").exit());
        try (MetricsTap tap = new MetricsTap(cms.broker.bootstrapServers())) {
            JsonNode node = launchOnline("hv", "h1");
            java.time.Instant loadStart = java.time.Instant.now();
            java.time.Instant loadEnd = loadStart.plusSeconds(10);
            java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(3);
            for (int i = 0; i < 3; i++) {
                clients.submit(() -> {
                    while (java.time.Instant.now().isBefore(loadEnd)) {
                        call(node, "POST", "/job", "x");
                    }
                    return null;
                });
            }
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
            double busy = tap.median("h1", loadStart.plusSeconds(3), loadEnd);
            java.time.Instant idleFrom = java.time.Instant.now().plusSeconds(2); // every job has been answered
            await().atMost(Duration.ofSeconds(20)).until(() -> tap.count("h1", idleFrom, java.time.Instant.now()) >= 3);
            double idle = tap.median("h1", idleFrom, java.time.Instant.now());
            System.out.printf("cpu share of a 0.3-CPU heavy node: %.2f under load, %.2f idle%n", busy, idle);
            assertTrue(busy >= 0.8 && busy <= 1.05, "under load: " + busy);
            assertTrue(idle < 0.1, "idle: " + idle);
        }
    }

    /** Whether this driver's nodes get CPU limits on this machine. */
    abstract boolean enforcesCpuLimits();

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
