package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/README.md followed on three test hosts (network namespaces, each with its own address, loopback and
 * ports): m1 runs cms-kafka, cms-rm, cms-web, cms-elasticity and cms-node-daemon, m2 cms-balancer and
 * cms-node-daemon, m3 cms-node-daemon, each started from its unit's ExecStart and environment files as
 * systemd would ({@link InstalledMachine}). Then the operator's checks: every host READY in
 * {@code cloud host ls}, a pod launched with a node on each host, requests through the frontend on m2 served
 * by a node on each host, and a job submitted to the API on m1 SUCCEEDED on a node. The balancer is not on
 * the resource manager's machine and each namespace has its own loopback, so a service that fell back to
 * 127.0.0.1 anywhere on the path would find nothing there.
 */
class DeployWalkthroughIT {

    private Path dir;
    private TestHosts hosts;
    private BridgeForwarding forwarding;
    private final List<InstalledMachine> machines = new ArrayList<>();

    @Test
    void theUnitsPassSystemdAnalyzeVerify() {
        RealParts.require("systemd-analyze (Debian package systemd)", () -> !TestHosts.run("sh", "-c",
                "command -v systemd-analyze || true").isBlank());
        for (String unit : DeployUnitsTest.UNITS) {
            Path file = DeployUnits.DEPLOY.resolve("systemd").resolve(unit + ".service");
            // systemd-analyze exits 0 on an unknown key or a bad value, but says so: nothing said is a pass
            String said = TestHosts.run("systemd-analyze", "verify", file.toString()).strip();
            assertEquals("", said, unit + ": systemd-analyze verify");
        }
    }

    @Test
    void theWalkThroughOnThreeMachinesServesAndRunsJobsOnEveryHost() throws Exception {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
        Path jar = Path.of("target", "cms.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), jar + " is built by mvn package, before the integration tests");
        dir = Files.createTempDirectory("cms-deploy-");
        hosts = TestHosts.create(3);
        RealParts.require("network namespaces: the walk-through proves nothing on loopback", hosts::usesNamespaces);
        forwarding = BridgeForwarding.open(hosts.hosts().get(0));
        List<String> addresses = hosts.hosts().stream().map(TestHosts.Host::address).toList();
        for (int i = 0; i < 3; i++) {
            machines.add(new InstalledMachine("m" + (i + 1), hosts.hosts().get(i), addresses, dir, jar));
        }
        InstalledMachine m1 = machines.get(0);
        InstalledMachine m2 = machines.get(1);

        // step 4: the install's admin token, made on m1 where the resource manager reads it
        Path tokenFile = m1.state().resolve("admin-token");
        Run generated = cloudOrCms(Map.of(), "token", "generate", "--out", tokenFile.toString());
        assertEquals(0, generated.code, generated.err);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tokenFile)), "the token file is its owner's alone");
        String token = Files.readString(tokenFile).strip();

        // step 5 of the walk-through: start in order
        m1.start("cms-kafka", "kafka: broker at");
        m1.start("cms-rm", "resource manager: ready");
        m1.start("cms-web", "CMS API:");
        m1.start("cms-elasticity", "elasticity: ready");
        m2.start("cms-balancer", "balancer: haproxy ready");
        // step 5: a join token for each machine, made on m1 through the API, in the machine's /var/lib/cms
        String apiForTokens = "http://" + m1.address("10.0.0.1") + ":8080";
        for (InstalledMachine m : machines) {
            Run join = cloudRetried(Map.of("CMS_URL", apiForTokens, "CMS_TOKEN", token), "host", "join-token", m.name);
            assertEquals(0, join.code, join.err + logs());
            ClientConfig.writeSecret(m.state().resolve("join-token"), join.out);
        }
        for (InstalledMachine m : machines) {
            m.start("cms-node-daemon", "node daemon: host " + m.name + " joined");
        }
        String api = "http://" + m1.address("10.0.0.1") + ":8080";
        Map<String, String> client = Map.of("CMS_URL", api, "CMS_TOKEN", token);

        // step 6: cloud host ls shows the three machines READY at their addresses
        await().atMost(Duration.ofSeconds(90)).until(() -> readyHosts(cloud(client, "host", "ls").out).size() == 3);
        String hostLs = cloud(client, "host", "ls").out;
        for (InstalledMachine m : machines) {
            assertTrue(hostLs.lines().anyMatch(l -> l.matches(m.name + "\\s+" + m.host.address().replace(".", "\\.")
                    + "\\s+READY.*")), "cloud host ls:\n" + hostLs + logs());
        }

        // step 7: cloud init, three nodes of light, one on each machine
        assertEquals(0, cloudRetried(client, "init").code, logs());
        for (int i = 1; i <= 3; i++) {
            assertEquals(0, cloudRetried(client, "register", "light-" + i, "light").code);
            assertEquals(0, cloudRetried(client, "launch", "light").code);
        }
        JsonHttp http = new JsonHttp(api, token);
        Map<String, String> hostOf = new HashMap<>();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            hostOf.clear();
            JsonHttp.Response nodes = http.get("/api/pods/light/nodes");
            if (nodes.status() != 200) {
                return false; // 503: the resource manager is slow to answer on a busy machine; ask again
            }
            for (JsonNode n : nodes.data()) {
                if ("ONLINE".equals(n.path("state").asText())) {
                    hostOf.put(n.path("name").asText(), n.path("host_id").asText());
                    assertEquals(machine(n.path("host_id").asText()).host.address(), n.path("address").asText(),
                            "a node listens on its machine's address");
                }
            }
            return hostOf.size() == 3;
        });
        assertEquals(Set.of("m1", "m2", "m3"), new TreeSet<>(hostOf.values()), "one node on each machine: " + hostOf);

        // step 8: a request through the frontend on m2 (cloud request --host), then enough to reach every node
        String balancer = m2.address("10.0.0.2");
        // ONLINE is the resource manager's word; the balancer on m2 puts a node in HAProxy's rotation once HAProxy's
        // own check saw it up, a moment later: until one node is, the frontend answers 503 (no node in service)
        Run[] request = new Run[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
            request[0] = cloud(client, "request", "light", "--host", balancer);
            return request[0].code == 0;
        });
        assertTrue(request[0].out.startsWith("served by light-"), request[0].out + request[0].err);
        int frontend = http.get("/api/pods/light").data().path("frontend_port").asInt();
        try (LoadGen clients = LoadGen.atRate(URI.create("http://" + balancer + ":" + frontend + "/"), 10)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.servedBy.keySet().containsAll(hostOf.keySet()));
            assertEquals(0, clients.failed(), "client requests: " + clients.failures);
        }

        // step 9: a job through the API on m1: the resource manager sends it to the frontend on m2
        Run job = cloudRetried(client, "job", "submit", "light", "--id", "walkthrough-1", "--wait", "120");
        assertEquals(0, job.code, job.out + job.err + logs());
        JsonNode done = http.get("/api/jobs/walkthrough-1").json();
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
        assertTrue(hostOf.containsKey(done.path("node").asText()), "the job ran on a node of light: " + done);
        // the metrics: every target of deploy/prometheus/prometheus-hosts.yml answers at its machine's address
        Map<String, String> metrics = MetricsScrape.scrapeTargets(DeployUnits.DEPLOY.resolve("prometheus")
                .resolve("prometheus-hosts.yml"), m1::address, token);
        assertEquals(7, metrics.size(), "rm, web, elasticity, balancer and three daemons: " + metrics.keySet());
        assertEquals(3.0, MetricsScrape.at(metrics.get("cms-rm 10.0.0.1:9471"), "cms_nodes{pod=\"light\",state=\"ONLINE\"}"));
        for (int i = 1; i <= 3; i++) {
            assertTrue(metrics.get("cms-node-daemon 10.0.0." + i + ":9472").contains("cms_node_cpu_usage_ratio{host=\"m" + i
                    + "\""), "m" + i + "'s node of light");
        }
        assertTrue(MetricsScrape.at(metrics.get("cms-balancer 10.0.0.2:9474"), "cms_pod_requests_per_second{pod=\"light\"}")
                >= 0);
        System.out.printf("walk-through: m1=%s (kafka, rm, web, elasticity, daemon), m2=%s (balancer, daemon), "
                + "m3=%s (daemon); nodes %s; job walkthrough-1 SUCCEEDED on %s (%s)%n", addresses.get(0),
                addresses.get(1), addresses.get(2), new java.util.TreeMap<>(hostOf), done.path("node").asText(),
                hostOf.get(done.path("node").asText()));
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (hosts != null) {
            hosts.close(); // every process in the namespaces: the services, HAProxy, the nodes
        }
        if (forwarding != null) {
            forwarding.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private InstalledMachine machine(String name) {
        return machines.stream().filter(m -> m.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no machine " + name));
    }

    private String logs() {
        StringBuilder b = new StringBuilder("\n");
        machines.forEach(m -> b.append(m.logs()).append('\n'));
        return b.toString();
    }

    /** What a {@code cloud} command printed, and its exit status. */
    record Run(int code, String out, String err) {
    }

    /** {@code ./cloud ARGS} as the operator types it, with {@code env} (CMS_URL, CMS_TOKEN). */
    private static Run cloud(Map<String, String> env, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "cloud";
        System.arraycopy(args, 0, argv, 1, args.length);
        return cloudOrCms(env, argv);
    }

    /** {@code java -jar cms.jar ARGS} ({@code cloud …} is the client), with {@code env}. */
    private static Run cloudOrCms(Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CmsMain.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * A command that changes something, sent again while CMS answers "unavailable" (exit 3: the resource manager
     * did not answer in time, on a busy machine), as an operator would; a refusal after that is taken as
     * done, since the call that timed out was applied (init: pods exist; register: node exists; launch: no NEW
     * node left).
     */
    private static Run cloudRetried(Map<String, String> env, String... args) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Run r = cloud(env, args);
        boolean retried = false;
        while (r.code == CloudCommand.UNAVAILABLE && System.nanoTime() < deadline) {
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            r = cloud(env, args);
            retried = true;
        }
        return retried && r.code == CloudCommand.REFUSED ? new Run(0, r.out, r.err) : r;
    }

    private static Set<String> readyHosts(String hostLs) {
        Set<String> out = new TreeSet<>();
        hostLs.lines().map(l -> l.trim().split("\\s+")).filter(w -> w.length > 2 && w[2].equals("READY"))
                .forEach(w -> out.add(w[0]));
        return out;
    }
}
