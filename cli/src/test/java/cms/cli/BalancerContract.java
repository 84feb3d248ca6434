package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.balancer.model.Slot;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import com.fasterxml.jackson.databind.JsonNode;
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
 * What every balancer backend must do, with real nodes (local processes) and the whole system:
 * rotation, removal under load without a failed request, nodes killed under load (again and again)
 * without a failed GET, pause and resume. One subclass per backend adds its restart test.
 */
abstract class BalancerContract {

    TestCluster cms;
    int port;

    /** CMS_BALANCER and anything else this backend needs. */
    abstract Map<String, String> balancerSettings();

    /** After the kills: the balancer itself is still the one that started (e.g. HAProxy's pid). */
    abstract void assertSurvivedKills() throws Exception;

    @AfterEach
    void cleanUp() {
        if (cms != null) {
            cms.close();
        }
    }

    TestCluster cluster(boolean balancerInProcess) throws Exception {
        return cluster(balancerInProcess, Map.of());
    }

    /** {@code extra}: more balancer settings for this test. */
    TestCluster cluster(boolean balancerInProcess, Map<String, String> extra) throws Exception {
        cms = new TestCluster().withResourceManager(Map.of("CMS_RM_DRAIN_TIMEOUT_MS", "15000")).withHost("it-host")
                .withWeb(Map.of());
        if (balancerInProcess) {
            Map<String, String> settings = new HashMap<>(balancerSettings());
            settings.putAll(extra);
            cms.withBalancer(settings);
        }
        port = TestCluster.freePort();
        assertEquals(0, cms.cloud("pod", "register", "web", "--frontend-port", String.valueOf(port)).exit());
        return cms;
    }

    /** Whether the balancer sends requests to the node on this port: ready, up, and with a weight. */
    boolean inRotation(int nodePort) throws Exception {
        return cms.balancers.get(0).slots("web").stream().anyMatch(s -> s.port() == nodePort
                && s.admin() == Slot.Admin.READY && s.up() && s.weight() > 0);
    }

    JsonNode node(String name) {
        for (JsonNode n : cms.api().get("/api/pods/web").data().get("nodes")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }

    /** Registers and launches the node, and waits until HAProxy sends it requests. */
    int serving(String name) throws Exception {
        assertEquals(0, cms.cloud("register", name, "web").exit());
        await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("launch", "web").exit() == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> node(name) != null
                && node(name).get("state").asText().equals("ONLINE"));
        int nodePort = node(name).get("port").asInt();
        await().atMost(Duration.ofSeconds(15)).until(() -> servedBy(nodePort));
        return nodePort;
    }

    /** Through the balancer's own view when it runs in this process, else through its frontend. */
    boolean servedBy(int nodePort) throws Exception {
        return cms.balancers.isEmpty() ? rotationSeenFromOutside(nodePort) : inRotation(nodePort);
    }

    /** For a balancer in another process: how this backend shows a node in rotation. */
    abstract boolean rotationSeenFromOutside(int nodePort) throws Exception;

    URI frontend() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    @Test
    void rotationRemovalAndKillsUnderLoadLoseNoRequest() throws Exception {
        cluster(true);
        serving("w1");
        int w2 = serving("w2");
        serving("w3");
        TestCluster.Run spread = cms.cloud("request", "web", "-n", "60", "-c", "3");
        assertEquals(0, spread.exit(), spread.err());
        assertTrue(spread.out().contains("served by: {w1=20, w2=20, w3=20}"), spread.out());

        try (LoadGen load = new LoadGen(frontend(), 4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.served("w1") > 50);
            assertEquals(0, cms.cloud("rm", "w1", "web").exit());
            await().atMost(Duration.ofSeconds(30)).until(() -> node("w1") == null);
            long after = load.ok.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > after + 200);
            load.close();
            assertEquals(0, load.failed(), () -> "failed while w1 was removed: " + load.failures);
        }

        try (LoadGen load = new LoadGen(frontend(), 4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.served("w2") > 50);
            NodeLifecycleContract.killPid(pid("w2"));
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(2)).until(() -> !inRotation(w2));
            System.out.printf("%s: killed node out of rotation in %.2f s%n", balancerSettings().get("CMS_BALANCER"),
                    (System.nanoTime() - t0) / 1e9);
            long after = load.ok.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > after + 200);
            load.close();
            assertEquals(0, load.failed(), () -> "failed GETs while w2 was killed: " + load.failures);
        }

        for (int round = 1; round <= 3; round++) {
            String name = "k" + round;
            int p = serving(name);
            try (LoadGen load = new LoadGen(frontend(), 4)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> load.served(name) > 20);
                NodeLifecycleContract.killPid(pid(name));
                await().atMost(Duration.ofSeconds(2)).until(() -> !inRotation(p));
                long after = load.ok.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > after + 100);
                load.close();
                assertEquals(0, load.failed(), () -> "round " + name + ": " + load.failures);
            }
        }
        assertSurvivedKills();
    }

    long pid(String node) {
        return Long.parseLong(cms.daemons.get(0).nodes().stream().filter(n -> n.node().equals(node)).findFirst()
                .orElseThrow().driverId());
    }

    /**
     * The ordinary server timeout is 2 s here. A plain request that takes 5 s is cut at 2 s (504); a job
     * that takes 5 s brings its own limit and succeeds in one attempt; a job that takes longer than its
     * own limit ends FAILED (timed out) after one attempt, not retried.
     */
    @Test
    void aJobLongerThanTheOrdinaryServerTimeoutSucceedsOnceAndOnePastItsOwnLimitFailsOnce() throws Exception {
        cluster(true, Map.of("CMS_BALANCER_SERVER_TIMEOUT_MS", "2000"));
        serving("j1");
        HttpClient http = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(frontend()
                .resolve("/job")).POST(HttpRequest.BodyPublishers.ofString("{\"sleep_ms\":5000}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        double cut = (System.nanoTime() - t0) / 1e9;
        assertEquals(504, plain.statusCode(), plain.body());
        assertTrue(cut >= 2 && cut < 4.5, "cut at the ordinary 2 s: " + cut);

        try (JobEventsTap tap = new JobEventsTap(cms.broker.bootstrapServers())) {
            TestCluster.Run ok = cms.cloud("job", "submit", "web", "--id", "long-ok", "--timeout-seconds", "30",
                    "--payload", "{\"sleep_ms\":5000}");
            assertEquals(0, ok.exit(), ok::toString);
            TestCluster.Run late = cms.cloud("job", "submit", "web", "--id", "long-late", "--timeout-seconds", "3",
                    "--payload", "{\"sleep_ms\":5000}");
            assertEquals(0, late.exit(), late::toString);
            await().atMost(Duration.ofSeconds(30)).until(() -> tap.ended() >= 2);
            Map<String, List<JobEvent>> history = tap.readAll();
            List<JobEvent> okEvents = history.get("long-ok");
            List<JobEvent> lateEvents = history.get("long-late");
            JobsIT.endedOnceEach(history, List.of("long-ok"));
            var succeeded = (JobEvent.JobSucceeded) JobEventsTap.terminals(okEvents).get(0);
            assertEquals(1, succeeded.attempt(), okEvents::toString);
            assertTrue(succeeded.durationMs() >= 5000, okEvents::toString);
            assertEquals(1, okEvents.stream().filter(e -> e instanceof JobEvent.JobRunning).count(),
                    () -> "run once: " + okEvents);
            List<JobEvent> lateEnds = JobEventsTap.terminals(lateEvents);
            assertEquals(1, lateEnds.size(), lateEvents::toString);
            var failed = (JobEvent.JobFailed) lateEnds.get(0);
            assertEquals("no answer within 3 s", failed.reason(), lateEvents::toString);
            assertEquals(1, lateEvents.stream().filter(e -> e instanceof JobEvent.JobRunning).count(),
                    () -> "not retried: " + lateEvents);
            System.out.printf("%s: plain 5 s request cut at %.2f s; 5 s job with a 30 s limit: SUCCEEDED in %d ms, "
                    + "attempt 1; 5 s job with a 3 s limit: FAILED '%s' after 1 attempt%n",
                    balancerSettings().get("CMS_BALANCER"), cut, succeeded.durationMs(), failed.reason());
        }
    }

    @Test
    void pauseAnswers503WithAClearBodyAndResumeServesAgain() throws Exception {
        cluster(true);
        serving("p1");
        serving("p2");
        assertEquals(0, cms.cloud("pause", "web").exit());
        await().atMost(Duration.ofSeconds(15)).until(() -> cms.cloud("request", "web").exit() == 1);
        TestCluster.Run paused = cms.cloud("request", "web");
        assertTrue(paused.err().contains("HTTP 503") && paused.err().contains("pod web has no node in service"),
                paused.err());
        assertEquals("ONLINE", node("p1").get("state").asText(), "paused nodes keep running");
        assertEquals(0, cms.cloud("resume", "web").exit());
        await().atMost(Duration.ofSeconds(15)).until(() -> cms.cloud("request", "web", "-n", "20", "-c", "2")
                .out().contains("served by: {p1=10, p2=10}"));
    }

    @Test
    void aPodWhosePortIsTakenIsReportedAndOtherPodsAreUnaffected() throws Exception {
        cluster(true);
        serving("w1");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(0, cms.cloud("pod", "register", "blocked", "--frontend-port",
                    String.valueOf(taken.getLocalPort())).exit());
            assertEquals(0, cms.cloud("register", "b1", "blocked").exit());
            assertEquals(0, cms.cloud("launch", "blocked").exit());
            await().atMost(Duration.ofSeconds(15)).until(() -> cms.balancers.get(0).poolErrors().containsKey("blocked"));
            String reason = cms.balancers.get(0).poolErrors().get("blocked");
            assertTrue(reason.contains(String.valueOf(taken.getLocalPort())) && reason.toLowerCase().contains("bind"),
                    reason);
            TestCluster.Run other = cms.cloud("request", "web", "-n", "20", "-c", "2");
            assertTrue(other.out().contains(" 0 failed") && other.out().contains("w1=20"), other.out());
        }
    }

    @Test
    void trafficAndServerStatusArePublishedEverySecond() throws Exception {
        cluster(true);
        serving("m1");
        serving("m2");
        try (MetricsTap tap = new MetricsTap(cms.broker.bootstrapServers());
             LoadGen load = new LoadGen(frontend(), 2)) {
            String source = balancerSettings().get("CMS_BALANCER");
            await().atMost(Duration.ofSeconds(15)).until(() -> tap.all(MetricSample.PodSample.class).stream()
                    .anyMatch(s -> s.pod().equals("web") && source.equals(s.source()) && s.requestsPerSecond() > 10));
            await().atMost(Duration.ofSeconds(15)).until(() -> tap.all(MetricSample.ServerSample.class).stream()
                    .filter(s -> s.pod().equals("web") && s.status().startsWith("UP") && s.requestsPerSecond() > 5)
                    .map(MetricSample.ServerSample::node).distinct().count() == 2);
            MetricSample.PodSample pod = tap.all(MetricSample.PodSample.class).stream()
                    .filter(s -> s.pod().equals("web") && source.equals(s.source()) && s.requestsPerSecond() > 10)
                    .reduce((a, b) -> b).orElseThrow();
            assertTrue(pod.meanResponseMs() != null && pod.meanResponseMs() >= 0, pod.toString());
            assertEquals(0.0, pod.errorsPerSecond(), pod.toString());
            load.close();
            assertEquals(0, load.failed(), () -> load.failures.toString());
        }
    }
}
