package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import cms.core.metrics.MetricsConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code cms dev} as a user starts it, then the README's session with no token typed: {@code cms dev} made an
 * admin token, wrote the URL and the token to the client configuration (mode 600), and {@code cloud} finds
 * them there with no flag and no variable; {@code cloud auth token} prints the token for curl. Every socket
 * {@code cms dev} and the processes it started listen on is a loopback one. A restarted {@code cms dev} keeps
 * the token, so {@code cloud} goes on working.
 */
class DevSessionIT {

    @Test
    void theReadmeSessionWorksWithNoTokenTypedAndCmsDevListensOnLoopbackOnly() throws Exception {
        RealParts.require("ss (iproute2)", () -> !TestHosts.run("sh", "-c", "command -v ss || true").isBlank());
        Path dir = Files.createTempDirectory("cms-devsession-");
        Path config = dir.resolve("config").resolve("client.json");
        int port = TestCluster.freePort();
        int kafka = BenchCommand.DevProcess.freePortPair(); // the controller listens on the next port
        int frontends = TestCluster.freePort();
        Map<String, String> env = new HashMap<>(Map.of("CMS_CLIENT_CONFIG", config.toString(), "CMS_NODE_DRIVER",
                "process", "CMS_HOST_ID", "dev-session", "CMS_NODE_DIR", dir.resolve("nodes").toString(),
                "CMS_BALANCER_DIR", dir.resolve("balancer").toString(),
                "CMS_RM_FRONTEND_BASE_PORT", String.valueOf(frontends)));
        for (MetricsConfig.Service service : MetricsConfig.Service.values()) {
            env.put(service.portKey(), "0"); // each service's /metrics on a free port, printed by cms dev
        }
        List<String> devArgs = List.of("dev", "--port", String.valueOf(port), "--kafka-port", String.valueOf(kafka),
                "--data-dir", dir.resolve("data").toString(), "--stop-nodes-on-exit");
        ServiceProcess dev = ServiceProcess.start(dir, devArgs, env, ServiceProcess.DEV_READY);
        try {
            String printed = dev.output();
            assertTrue(printed.contains("dashboard: http://127.0.0.1:" + port + "/login?token=cms_"), printed);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
            Map<String, String> user = Map.of("CMS_CLIENT_CONFIG", config.toString()); // no URL, no token

            // the README's session
            assertEquals(0, cloud(user, "init").exit, "cloud init");
            assertEquals(0, cloud(user, "register", "n1", "light").exit);
            assertEquals(0, cloud(user, "launch", "light").exit);
            await().atMost(Duration.ofSeconds(60)).until(() -> cloud(user, "node", "ls", "light").out.contains("ONLINE"));
            // ONLINE to the resource manager comes before HAProxy's own health check passes: ask until served
            await().atMost(Duration.ofSeconds(30)).until(() -> cloud(user, "request", "light").exit == 0);
            Run served = cloud(user, "request", "light");
            assertEquals(0, served.exit, served.err);
            assertTrue(served.out.startsWith("served by n1"), served.out);
            assertEquals(0, cloud(user, "pause", "light").exit);
            assertEquals(0, cloud(user, "resume", "light").exit);
            Run job = cloud(user, "job", "submit", "light", "--payload", "{\"n\":1}", "--wait", "60");
            assertEquals(0, job.exit, job.out + job.err);

            // cloud auth token, for scripts: curl -H "Authorization: Bearer $(./cloud auth token)"
            Run token = cloud(user, "auth", "token");
            assertEquals(0, token.exit, token.err);
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest pods = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/pods"))
                    .header("Authorization", "Bearer " + token.out.strip()).build();
            assertEquals(200, http.send(pods, HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(401, http.send(HttpRequest.newBuilder(pods.uri()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode(), "a stranger");

            // every listening socket of cms dev and of the processes it started (HAProxy, nodes) is on loopback
            Set<Long> ours = Stream.concat(Stream.of(dev.pid()), ProcessHandle.of(dev.pid()).orElseThrow()
                    .descendants().map(ProcessHandle::pid)).collect(Collectors.toSet());
            List<String> listening = new ArrayList<>();
            for (String line : TestHosts.run("ss", "-ltnpH").lines().toList()) {
                String local = line.trim().split("\\s+")[3];
                // HAProxy runs detached (it outlives cms dev): its frontend for light is found by its port
                if (ours.stream().anyMatch(pid -> line.contains("pid=" + pid + ",")) || local.endsWith(":" + frontends)) {
                    listening.add(local);
                }
            }
            assertTrue(listening.stream().anyMatch(a -> a.endsWith(":" + frontends)), "light's frontend: " + listening);
            assertTrue(listening.size() >= 3, "broker, controller, API at least: " + listening);
            List<String> open = listening.stream().filter(a -> !a.startsWith("127.") && !a.startsWith("[::1]")
                    && !a.startsWith("[::ffff:127.")).toList();
            assertEquals(List.of(), open, "sockets not on loopback (all: " + listening + ")");
            String tokenBefore = token.out.strip();
            System.out.printf("DevSessionIT: README session with no token typed; %d listening sockets, all on "
                    + "loopback: %s%n", listening.size(), listening);

            MetricsScrape.checkEveryService(printed, token.out.strip(), user);

            // a restarted cms dev keeps the token cloud has
            dev.close();
            dev = ServiceProcess.start(dir, devArgs, env, ServiceProcess.DEV_READY);
            assertEquals(tokenBefore, cloud(user, "auth", "token").out.strip());
            Run ls = cloud(user, "pod", "ls");
            assertEquals(0, ls.exit, ls.err);
            assertTrue(ls.out.contains("light"), ls.out);
        } finally {
            dev.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run cloud(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CloudCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
