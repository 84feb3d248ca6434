package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code cloud node ls POD --watch} and {@code cloud job wait} on the live stream of a real resource manager and web
 * service (a broker, no host): the watch prints the table, then each node as it is registered or removed, and ends
 * when the web service stops; a wait ends as soon as its job is aborted.
 */
class CloudWatchIT {

    /** A {@code cloud} run on a thread of its own; what it printed so far (out and err together) may be read meanwhile. */
    private static final class Running {
        private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        private final Future<Integer> exit;

        Running(ExecutorService threads, TestCluster cms, String... args) {
            PrintStream print = new PrintStream(printed, true, StandardCharsets.UTF_8);
            String[] full = Stream.concat(Stream.of("--url", cms.apiUrl, "--token", cms.token), Stream.of(args))
                    .toArray(String[]::new);
            exit = threads.submit(() -> CloudCommand.run(full, print, print, Map.of()));
        }

        String printed() {
            return printed.toString(StandardCharsets.UTF_8);
        }

        List<String> lines() {
            return printed().lines().map(String::stripTrailing).toList();
        }
    }

    private static void ok(TestCluster.Run r) {
        assertEquals(0, r.exit(), () -> r.out() + r.err());
    }

    @Test
    void aWatchFollowsTheNodesAndAWaitItsJob() throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        try (TestCluster cms = new TestCluster().withResourceManager().withWeb(Map.of())) {
            ok(cms.cloud("pod", "register", "w", "--frontend-port", String.valueOf(TestCluster.freePort())));
            Running watch = new Running(threads, cms, "node", "ls", "w", "--watch");
            await().atMost(Duration.ofSeconds(15)).until(() -> watch.printed().startsWith("NODE"));
            ok(cms.cloud("register", "n1", "w"));
            ok(cms.cloud("register", "n2", "w"));
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.lines().size() == 3);
            ok(cms.cloud("rm", "n2", "w"));
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.lines().size() == 4);
            List<String> lines = watch.lines();
            assertEquals("NODE  POD  STATE  HOST  ADDRESS  PORT  RESTARTS  NOTE", lines.get(0));
            assertTrue(lines.get(1).matches("n1 +w +NEW +- +- +- +0"), lines::toString);
            assertTrue(lines.get(2).matches("n2 +w +NEW +- +- +- +0"), lines::toString);
            assertTrue(lines.get(3).matches("n2 +w +NEW +- +- +- +0 +removed"), lines::toString);

            ok(cms.cloud("job", "submit", "w", "--id", "j1", "--payload", "{\"n\":1}"));
            Running wait = new Running(threads, cms, "job", "wait", "j1", "--timeout", "60");
            ok(cms.cloud("job", "abort", "j1", "--reason", "no nodes here"));
            assertEquals(CloudCommand.REFUSED, wait.exit.get(15, TimeUnit.SECONDS), wait::printed);
            assertTrue(wait.printed().matches("(?s).*status +ABORTED.*no nodes here.*"), wait::printed);

            cms.services.closeNow(cms.web);
            assertEquals(CloudCommand.UNAVAILABLE, watch.exit.get(30, TimeUnit.SECONDS), watch::printed);
            assertTrue(watch.printed().endsWith("cloud: the live stream ended (the server ended the stream)\n"),
                    watch::printed);
            assertEquals(4, watch.lines().size() - 1, "nothing else printed: " + watch.printed());
        } finally {
            threads.shutdownNow();
        }
    }
}
