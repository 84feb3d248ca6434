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
