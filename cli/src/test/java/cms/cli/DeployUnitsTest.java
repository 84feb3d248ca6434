package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.balancer.BalancerConfig;
import cms.core.config.NetAddress;
import cms.core.config.Settings;
import cms.nodedaemon.HostConfig;
import cms.nodedaemon.HostProbe;
import cms.rm.service.ResourceManagerConfig;
import cms.web.WebConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/: the units run the jar's service commands with variables their environment files define, every
 * variable there is documented, and the example environment of each machine is read by the services' own
 * config parsing into the addresses of the three-machine layout, none of them loopback.
 */
class DeployUnitsTest {

    static final List<String> UNITS = List.of("cms-kafka", "cms-rm", "cms-web", "cms-elasticity", "cms-balancer",
            "cms-node-daemon");

    @Test
    void theUnitsAreTheSixServicesAndRunTheJarsCommands() throws IOException {
        try (Stream<Path> files = Files.list(DeployUnits.DEPLOY.resolve("systemd"))) {
            assertEquals(new TreeSet<>(UNITS), files.map(p -> p.getFileName().toString().replace(".service", ""))
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        Set<String> commands = CmsMain.commandLine(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Map.of()).getSubcommands().keySet();
        for (String name : UNITS) {
            DeployUnits.Unit u = DeployUnits.unit(name);
            assertEquals(List.of("/usr/bin/java", "$CMS_JAVA_OPTS", "-jar", "/opt/cms/cms.jar"), u.execStart().subList(0, 4),
                    name);
            assertTrue(commands.contains(u.execStart().get(4)), name + " runs cms " + u.execStart().get(4));
            assertEquals("/var/lib/cms", u.workingDirectory(), name);
            Map<String, String> env = new HashMap<>();
            for (String file : u.environmentFiles()) {
                env.putAll(DeployUnits.environment(source(file, "m1")));
            }
            for (String v : DeployUnits.variables(u.execStart())) {
                assertTrue(env.containsKey(v), name + ": ExecStart uses $" + v + ", which its environment files do not set");
            }
        }
    }

    @Test
    void everyVariableIsDocumentedByTheCommentAboveItsGroup() throws IOException {
        try (Stream<Path> files = Files.list(DeployUnits.DEPLOY.resolve("env"))) {
            for (Path f : files.toList()) {
                boolean commented = false;
                for (String line : DeployUnits.lines(f)) {
                    String l = line.trim();
                    if (l.isEmpty()) {
                        commented = false;
                    } else if (l.startsWith("#")) {
                        commented = true;
                    } else {
                        assertTrue(commented, f.getFileName() + ": '" + l + "' has no comment above it");
                    }
                }
                assertFalse(DeployUnits.environment(f).isEmpty(), f + " sets nothing");
            }
        }
    }

    @Test
    void theExampleEnvironmentGivesEachServiceItsMachinesAddressNoLoopback() throws Exception {
        // the admin token file that step 4 makes, here in a folder of the test's
        assertEquals("/var/lib/cms/admin-token", settings("rm", "m1").string("CMS_RM_ADMIN_TOKEN_FILE", ""));
        java.nio.file.Path token = java.nio.file.Files.createTempFile("cms-admin-token", "");
        try {
            java.nio.file.Files.writeString(token, cms.core.auth.TokenSecret.issue(new java.security.SecureRandom()).text());
            assertEquals("10.0.0.2", ResourceManagerConfig.from(settings("rm", "m1").with(Map.of(
                    "CMS_RM_ADMIN_TOKEN_FILE", token.toString()))).frontendHost(),
                    "the resource manager on m1 sends jobs to the balancer's machine");
        } finally {
            java.nio.file.Files.delete(token);
        }
        assertEquals("10.0.0.2", BalancerConfig.from(settings("balancer", "m2")).address());
        assertEquals("10.0.0.1", WebConfig.from(settings("web", "m1")).host());
        java.nio.file.Path joinToken = java.nio.file.Files.createTempFile("cms-join-token", "");
        try {
            String text = cms.core.auth.TokenSecret.issue(new java.security.SecureRandom()).text();
            java.nio.file.Files.writeString(joinToken, text + "\n");
            for (String m : List.of("m1", "m2", "m3")) {
                assertEquals("/var/lib/cms/join-token", settings("node-daemon", m).string("CMS_JOIN_TOKEN_FILE", ""));
                HostConfig host = HostConfig.from(settings("node-daemon", m).with(Map.of("CMS_JOIN_TOKEN_FILE",
                        joinToken.toString())), new HostProbe());
                assertEquals(text, host.joinToken(), "the join token the file holds");
                assertHost(m, host);
            }
        } finally {
            java.nio.file.Files.delete(joinToken);
        }
        Map<String, String> kafka = DeployUnits.environment(source(DeployUnits.ETC + "kafka.env", "m1"));
        assertEquals("10.0.0.1", NetAddress.check("CMS_KAFKA_ADDRESS", kafka.get("CMS_KAFKA_ADDRESS"), false));
        assertEquals("10.0.0.1:" + kafka.get("CMS_KAFKA_PORT"), settings("rm", "m1").string("CMS_KAFKA", null),
                "CMS_KAFKA names the broker that cms-kafka runs");
    }

    @Test
    void execStartExpandsAsSystemdDoes() {
        Map<String, String> env = Map.of("OPTS", "-Xmx1m  -Da=b", "ADDR", "10.0.0.1", "EMPTY", "");
        assertEquals(List.of("java", "-Xmx1m", "-Da=b", "x", "--address", "10.0.0.1", "--d=10.0.0.1:1"),
                DeployUnits.expand(List.of("java", "$OPTS", "$EMPTY", "$UNSET", "x", "--address", "${ADDR}",
                        "--d=${ADDR}:1"), env));
        assertEquals(List.of("OPTS", "ADDR", "B"), DeployUnits.variables(List.of("$OPTS", "--a=${ADDR}${B}")));
    }

    /** The file of deploy/env that the operator copies to {@code path} on machine {@code machine}. */
    static Path source(String path, String machine) {
        String file = path.substring(DeployUnits.ETC.length());
        return DeployUnits.DEPLOY.resolve("env").resolve(file.equals("node-daemon.env")
                ? "node-daemon-" + machine + ".env" : file);
    }

    /** cms.env and {@code service}.env of machine {@code machine}, as the service reads them. */
    private static Settings settings(String service, String machine) {
        Map<String, String> env = new HashMap<>(DeployUnits.environment(source(DeployUnits.ETC + "cms.env", machine)));
        env.putAll(DeployUnits.environment(source(DeployUnits.ETC + service + ".env", machine)));
        return new Settings(env);
    }

    private static void assertHost(String machine, HostConfig host) {
        assertEquals(machine, host.hostId());
        assertEquals("10.0.0." + machine.substring(1), host.address());
        assertFalse(NetAddress.isLoopback(host.kafka().bootstrapServers().split(":")[0]));
    }
}
