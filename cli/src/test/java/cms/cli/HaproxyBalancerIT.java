package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The balancer contract on a real HAProxy, plus a restart of both the balancer and HAProxy. */
class HaproxyBalancerIT extends BalancerContract {

    private Long haproxyPid;

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    @Override
    Map<String, String> balancerSettings() {
        return Map.of("CMS_BALANCER", "haproxy");
    }

    private HaproxyAdmin admin() {
        return new HaproxyAdmin(cms.dir.resolve("balancer"), "web");
    }

    @Override
    int serving(String name) throws Exception {
        int p = super.serving(name);
        if (haproxyPid == null) {
            haproxyPid = admin().pid();
        }
        return p;
    }

    @Override
    void assertSurvivedKills() throws Exception {
        assertEquals(haproxyPid, admin().pid(), "HAProxy survived every kill");
    }

    @Override
    boolean rotationSeenFromOutside(int nodePort) throws Exception {
        return admin().inRotation(nodePort);
    }

    /**
     * HAProxy SIGKILLed behind the balancer's back under a light load (50 GETs a second on loopback):
     * the balancer starts a new one within seconds, which serves the same two nodes at once (from the
     * server states the balancer last saw, not after new health checks). Prints how many requests failed.
     */
    @Test
    void aKilledHaproxyIsStartedAgainWithItsServersWithinSeconds() throws Exception {
        cluster(true);
        int k1 = serving("k1");
        int k2 = serving("k2");
        long killed = admin().pid();
        try (LoadGen load = LoadGen.atRate(frontend(), 50)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok.get() > 50);
            long okBefore = load.ok.get();
            long t0 = System.nanoTime();
            admin().kill();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
                try {
                    return admin().pid() != killed && admin().inRotation(k1) && admin().inRotation(k2);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            double back = (System.nanoTime() - t0) / 1e9;
            long okAfter = load.ok.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> load.ok.get() > okAfter + 100);
            load.close();
            System.out.printf("HAProxy (pid %d) SIGKILLed under 50 GET/s: a new one (pid %d) served both nodes after "
                    + "%.2f s; %d of %d requests failed meanwhile: %s%n", killed, admin().pid(), back, load.failed(),
                    load.ok.get() - okBefore + load.failed(), load.failures.keySet());
            assertEquals(java.util.stream.Stream.of(k1 + ":2", k2 + ":2").sorted().toList(),
                    admin().activeSlots().stream().sorted().toList(), "the same servers, no duplicates");
            assertTrue(load.served("k1") > 0 && load.served("k2") > 0, load.servedBy::toString);
            assertTrue(load.failed() <= 50, () -> "at most a second of requests failed: " + load.failures);
        }
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
