package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@code cloud} command with an unknown pod or node, a taken name or a value CMS refuses: a
 * one-line reason, exit code 1, and the cloud's state exactly as before.
 */
class CloudBadInputIT {

    @Test
    void refusedCommandsChangeNothing() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withHost("it-host").withWeb(Map.of())) {
            assertEquals(0, cms.cloud("init").exit());
            assertEquals(0, cms.cloud("register", "a1", "light").exit());
            assertEquals(0, cms.cloud("launch", "light").exit());
            await().atMost(Duration.ofSeconds(30)).until(() -> cms.cloud("node", "ls", "light").out()
                    .matches("(?s).*a1\\s+light\\s+ONLINE.*"));
            assertEquals(0, cms.cloud("register", "a2", "light").exit());
            String before = cms.cloud("--json", "pod", "ls").out();

            List<List<String>> cases = List.of(
                    List.of("no pod named 'nopod'", "register", "x1", "nopod"),
                    List.of("no pod named 'nopod'", "rm", "a1", "nopod"),
                    List.of("no pod named 'nopod'", "launch", "nopod"),
                    List.of("no pod named 'nopod'", "pause", "nopod"),
                    List.of("no pod named 'nopod'", "resume", "nopod"),
                    List.of("no pod named 'nopod'", "node", "ls", "nopod"),
                    List.of("no pod named 'nopod'", "pod", "rm", "nopod"),
                    List.of("no pod named 'nopod'", "elasticity", "enable", "nopod", "1", "2"),
                    List.of("no pod named 'nopod'", "elasticity", "disable", "nopod"),
                    List.of("no pod named 'nopod'", "elasticity", "lower_threshold", "nopod", "0.1"),
                    List.of("no pod named 'nopod'", "elasticity", "upper_threshold", "nopod", "0.9"),
                    List.of("no node named 'ghost' in pod light", "rm", "ghost", "light"),
                    List.of("node name a1 is taken (in pod light)", "register", "a1", "heavy"),
                    List.of("pod light already exists", "pod", "register", "light"),
                    List.of("name: 'Bad_Name' is not a valid name", "pod", "register", "Bad_Name"),
                    List.of("name: 'UPPER' is not a valid name", "register", "UPPER", "light"),
                    List.of("workload: 'ultra' is not one of light, medium, heavy", "pod", "register", "p9",
                            "--workload", "ultra"),
                    List.of("cpu: 0.0 must be above 0", "pod", "register", "p9", "--cpu", "0"),
                    List.of("has 2 node(s) that are not STOPPED (a1 ONLINE, a2 NEW)", "pod", "rm", "light"),
                    List.of("min: -1 must be 0 or more", "elasticity", "enable", "light", "-1", "2"),
                    List.of("max: 1 is below min 2", "elasticity", "enable", "light", "2", "1"),
                    List.of("mode: 'fancy' is not one of threshold, target", "elasticity", "enable", "light", "1", "3",
                            "--mode", "fancy"),
                    List.of("metric: 'p95' is not one of cpu, rps", "elasticity", "enable", "light", "1", "3",
                            "--metric", "p95"),
                    List.of("target: is required in target mode", "elasticity", "enable", "light", "1", "3",
                            "--mode", "target"),
                    List.of("value: lower_threshold -0.5 must be within [0, 1]", "elasticity", "lower_threshold", "light",
                            "-0.5"),
                    List.of("must be at least 0.1 apart", "elasticity", "lower_threshold", "light", "0.75"),
                    List.of("pod medium has no NEW node to launch", "launch", "medium"));
            for (List<String> c : cases) {
                String[] args = c.subList(1, c.size()).toArray(String[]::new);
                TestCluster.Run r = cms.cloud(args);
                assertEquals(CloudCommand.REFUSED, r.exit(), () -> String.join(" ", args) + ": " + r.err());
                assertTrue(r.err().contains(c.get(0)), () -> String.join(" ", args) + ": " + r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
            }
            assertEquals(before, cms.cloud("--json", "pod", "ls").out(), "state changed by a refused command");
        }
    }
}
