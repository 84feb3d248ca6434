package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The balancer on a real HAProxy, with real nodes (local processes) and the whole system: rotation,
 * removal under load without a failed request, nodes killed under load (again and again) without a
 * failed GET and HAProxy surviving, pause and resume, and a restart of balancer and HAProxy.
 */
class HaproxyBalancerIT {

    private TestCluster cms;
    private int port;

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    @AfterEach
    void cleanUp() {
        if (cms != null) {
            cms.close();
        }
    }

    private TestCluster cluster(boolean balancerInProcess) throws Exception {
        cms = new TestCluster().withResourceManager(Map.of("CMS_RM_DRAIN_TIMEOUT_MS", "15000")).withHost("it-host")
                .withWeb(Map.of());
        if (balancerInProcess) {
            cms.withBalancer(Map.of("CMS_BALANCER", "haproxy"));
        }
        port = TestCluster.freePort();
        assertEquals(0, cms.cloud("pod", "register", "web", "--frontend-port", String.valueOf(port)).exit());
        return cms;
    }

    private HaproxyAdmin admin() {
        return new HaproxyAdmin(cms.dir.resolve("balancer"), "web");
    }

    private JsonNode node(String name) {
        for (JsonNode n : new JsonHttp(cms.apiUrl).get("/api/pods/web").data().get("nodes")) {
            if (n.get("name").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }

    /** Registers and launches the node, and waits until HAProxy sends it requests. */
    private int serving(String name) throws Exception {
        assertEquals(0, cms.cloud("register", name, "web").exit());
        await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("launch", "web").exit() == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> node(name) != null
                && node(name).get("state").asText().equals("ONLINE"));
        int nodePort = node(name).get("port").asInt();
        await().atMost(Duration.ofSeconds(15)).until(() -> admin().inRotation(nodePort));
        return nodePort;
    }

    private URI frontend() {
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
        long haproxyPid = admin().pid();

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
            await().atMost(Duration.ofSeconds(2)).until(() -> !admin().inRotation(w2));
            System.out.printf("killed node out of HAProxy's rotation in %.2f s%n", (System.nanoTime() - t0) / 1e9);
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
                await().atMost(Duration.ofSeconds(2)).until(() -> !admin().inRotation(p));
                long after = load.ok.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > after + 100);
                load.close();
                assertEquals(0, load.failed(), () -> "round " + name + ": " + load.failures);
            }
        }
        assertEquals(haproxyPid, admin().pid(), "HAProxy survived every kill");
    }

    private long pid(String node) {
        return Long.parseLong(cms.daemons.get(0).nodes().stream().filter(n -> n.node().equals(node)).findFirst()
                .orElseThrow().driverId());
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
    void aRestartedBalancerAndHaproxyConvergeOnTheSameServersWithoutDuplicates() throws Exception {
        cluster(false);
        Map<String, String> env = Map.of("CMS_KAFKA", cms.broker.bootstrapServers(), "CMS_BALANCER", "haproxy",
                "CMS_BALANCER_DIR", cms.dir.resolve("balancer").toString());
        ServiceProcess balancer = ServiceProcess.start(cms.dir, "balancer", env, "balancer: haproxy ready");
        try {
            int r1 = serving("r1");
            int r2 = serving("r2");
            balancer.kill();
            assertTrue(admin().inRotation(r1) && admin().inRotation(r2), "HAProxy serves while the balancer is away");
            balancer = ServiceProcess.start(cms.dir, "balancer", env, "balancer: haproxy ready");
            await().atMost(Duration.ofSeconds(10)).until(() -> admin().activeSlots().size() == 2);
            admin().kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                try {
                    return admin().inRotation(r1) && admin().inRotation(r2);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            assertEquals(java.util.stream.Stream.of(r1 + ":2", r2 + ":2").sorted().toList(),
                    admin().activeSlots().stream().sorted().toList(),
                    "the same servers, no duplicates, no leftovers");
            assertEquals(0, cms.cloud("request", "web", "-n", "20", "-c", "2").exit());
        } finally {
            balancer.close();
            try {
                admin().kill();
            } catch (java.io.IOException e) {
                // already gone
            }
        }
    }
}
