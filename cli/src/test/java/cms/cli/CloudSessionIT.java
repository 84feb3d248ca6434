package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The original system's session through the {@code cloud} entry point, against a real Kafka broker and
 * the real services; then the resource manager is killed with SIGKILL, started again, and must show the
 * same state.
 */
class CloudSessionIT {

    private static void ok(TestCluster.Run r, String expected) {
        assertEquals(0, r.exit(), () -> "exit code; out=" + r.out() + " err=" + r.err());
        assertTrue(r.out().contains(expected), () -> "expected '" + expected + "' in: " + r.out());
    }

    private static void refused(TestCluster.Run r, int exit, String expected) {
        assertEquals(exit, r.exit(), () -> "exit code; out=" + r.out() + " err=" + r.err());
        assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), () -> "one-line reason: " + r.err());
    }

    @Test
    void originalSessionSurvivesAResourceManagerKill() throws Exception {
        try (TestCluster cms = new TestCluster()) {
            Map<String, String> env = Map.of("CMS_KAFKA", cms.broker.bootstrapServers());
            ServiceProcess rm = ServiceProcess.start(cms.dir, "rm", env, "resource manager: ready");
            try {
                cms.withHost("it-host").withWeb(Map.of());

                ok(cms.cloud("init"), "created pod(s) light, medium, heavy");
                refused(cms.cloud("init"), 1, "already initialised");
                ok(cms.cloud("register", "n1", "light"), "node n1 registered in pod light");
                ok(cms.cloud("register", "n2", "light"), "node n2 registered");
                ok(cms.cloud("register", "n3", "light"), "node n3 registered");
                refused(cms.cloud("register", "n1", "medium"), 1, "node name n1 is taken (in pod light)");
                ok(cms.cloud("launch", "light"), "node n1 of pod light is STARTING on host it-host");

                await().atMost(Duration.ofSeconds(30)).until(() -> cms.cloud("node", "ls", "light").out()
                        .matches("(?s).*n1\\s+light\\s+ONLINE\\s+it-host\\s+127\\.0\\.0\\.1\\s+\\d+.*"));
                String nodes = cms.cloud("node", "ls", "light").out();
                assertTrue(nodes.matches("(?s).*n2\\s+light\\s+NEW.*"), nodes);
                assertTrue(nodes.matches("(?s).*n3\\s+light\\s+NEW.*"), nodes);

                ok(cms.cloud("pause", "light"), "pod light paused");
                assertTrue(cms.cloud("pod", "ls").out().matches("(?s).*light\\s+light\\s+0.30\\s+100 MB\\s+1/3\\s+20\\s+yes.*"));
                ok(cms.cloud("resume", "light"), "pod light resumed");
                ok(cms.cloud("rm", "n3", "light"), "node n3 removed from pod light");
                refused(cms.cloud("rm", "n3", "light"), 1, "no node named 'n3' in pod light");

                ok(cms.cloud("elasticity", "enable", "light", "1", "3"), "elasticity enabled on pod light with 1 to 3");
                refused(cms.cloud("register", "n4", "light"), 1, "elasticity is enabled on pod light");
                refused(cms.cloud("launch", "light"), 1, "manual launch is refused");
                refused(cms.cloud("elasticity", "enable", "light", "3", "1"), 1, "max: 1 is below min 3");
                refused(cms.cloud("elasticity", "enable", "light", "1", "21"), 1, "above the node limit 20");
                ok(cms.cloud("elasticity", "lower_threshold", "light", "0.3"), "lower threshold of pod light set to 0.3");
                ok(cms.cloud("elasticity", "upper_threshold", "light", "0.9"), "upper threshold of pod light set to 0.9");
                refused(cms.cloud("elasticity", "upper_threshold", "light", "0.35"), 1, "at least 0.1 apart");
                refused(cms.cloud("elasticity", "lower_threshold", "light", "1.5"), 1, "must be within [0, 1]");
                refused(cms.cloud("elasticity", "lower_threshold", "light", "abc"), 2, "'abc' is not a double");
                ok(cms.cloud("elasticity", "disable", "light"), "elasticity disabled on pod light");

                // while elasticity was on, the resource manager may have launched the NEW node n2 (the size of
                // an elastic pod is its active nodes): let any launch settle before comparing across the restart
                await().atMost(Duration.ofSeconds(30)).until(() -> !cms.cloud("node", "ls", "light").out()
                        .contains("STARTING"));
                String podsBefore = cms.cloud("--json", "pod", "ls").out();
                String nodesBefore = cms.cloud("node", "ls").out();
                assertTrue(podsBefore.contains("\"lower_threshold\" : 0.3"), podsBefore);

                rm.kill();
                refused(cms.cloud("pod", "ls"), 3, "the resource manager did not answer");
                rm = ServiceProcess.start(cms.dir, "rm", env, "resource manager: ready");

                assertEquals(podsBefore, cms.cloud("--json", "pod", "ls").out());
                assertEquals(nodesBefore, cms.cloud("node", "ls").out());
                refused(cms.cloud("init"), 1, "already initialised");
            } finally {
                rm.close();
            }
        }
    }
}
