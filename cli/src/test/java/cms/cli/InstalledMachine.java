package cms.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One machine of deploy/README.md's walk-through, played by a {@link TestHosts} host: its services are started
 * as their systemd units would start them — the unit's ExecStart with exactly the variables of its
 * EnvironmentFiles (deploy/env; {@code /etc/cms/node-daemon.env} is this machine's {@code node-daemon-mN.env}),
 * in its WorkingDirectory — inside the host's network namespace. Only what differs between a real machine
 * and a test host is put in: the test hosts' addresses for the example 10.0.0.1–3, a directory of the test
 * for /var/lib/cms (each machine its own), this build's java and jar for /usr/bin/java and /opt/cms/cms.jar,
 * and {@link #TEST_ONLY} on top.
 */
final class InstalledMachine {

    /**
     * Settings the test puts on top of the example files, and why: Docker publishes a container's port in the
     * root namespace, where a test host's address does not exist, so nodes are processes of the jar; an admin
     * call waits up to 30 s for the resource manager (not 5), and the JVMs but the broker's are smaller, as ten
     * of them share a test machine that may be busy.
     */
    static final Map<String, String> TEST_ONLY = Map.of("CMS_NODE_DRIVER", "process", "CMS_ADMIN_TIMEOUT_MS", "30000");
    static final String SMALL_JVM = "-Xmx192m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";
    /** systemd's default PATH for services. */
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final Pattern EXAMPLE_ADDRESS = Pattern.compile("\\b10\\.0\\.0\\.([1-3])\\b");
    private static final String STATE = "/var/lib/cms";

    final String name;
    final TestHosts.Host host;
    private final Path root;
    private final Path logs;
    private final List<String> addresses;
    private final Path jar;
    private final List<ServiceProcess> started = new ArrayList<>();

    /**
     * Machine {@code name} (m1, m2, m3) on test host {@code host}; {@code addresses} are the test hosts'
     * addresses that stand for 10.0.0.1, 10.0.0.2, 10.0.0.3.
     */
    InstalledMachine(String name, TestHosts.Host host, List<String> addresses, Path dir, Path jar) {
        this.name = name;
        this.host = host;
        this.addresses = List.copyOf(addresses);
        this.root = dir.resolve(name).resolve("var-lib-cms");
        this.logs = dir.resolve(name);
        this.jar = jar;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder that stands for this machine's /var/lib/cms. */
    Path state() {
        return root;
    }

    /** The address that stands for {@code example} (10.0.0.N) on the test hosts. */
    String address(String example) {
        return onTestHosts(example);
    }

    /** {@code systemctl start <unit>} on this machine; returns once the service printed {@code readyLine}. */
    ServiceProcess start(String unitName, String readyLine) {
        DeployUnits.Unit unit = DeployUnits.unit(unitName);
        Map<String, String> env = environment(unit);
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        for (String word : DeployUnits.expand(unit.execStart(), env)) {
            line.add(switch (word) {
                case "/usr/bin/java" -> Path.of(System.getProperty("java.home"), "bin", "java").toString();
                case "/opt/cms/cms.jar" -> jar.toString();
                default -> onTestHosts(word);
            });
        }
        Path workDir = Path.of(onTestHosts(unit.workingDirectory()));
        ServiceProcess p = ServiceProcess.exec(logs, unitName, line, workDir, env, readyLine);
        started.add(p);
        return p;
    }

    /** The variables the unit's service sees: its environment files in order, then {@link #TEST_ONLY} and {@link #SMALL_JVM}. */
    Map<String, String> environment(DeployUnits.Unit unit) {
        Map<String, String> env = new HashMap<>();
        for (String file : unit.environmentFiles()) {
            DeployUnits.environment(DeployUnitsTest.source(file, name)).forEach((k, v) -> env.put(k, onTestHosts(v)));
        }
        env.putAll(TEST_ONLY);
        if (!unit.name().equals("cms-kafka")) {
            env.put("CMS_JAVA_OPTS", SMALL_JVM);
        }
        env.put("PATH", PATH);
        return env;
    }

    /** The last lines each service of this machine printed, for a failure message. */
    String logs() {
        StringBuilder b = new StringBuilder();
        for (ServiceProcess p : started) {
            String out = p.output();
            b.append("--- ").append(name).append('\n').append(out.substring(Math.max(0, out.length() - 3000)));
        }
        return b.toString();
    }

    private String onTestHosts(String value) {
        Matcher m = EXAMPLE_ADDRESS.matcher(value.replace(STATE, root.toString()));
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(addresses.get(Integer.parseInt(m.group(1)) - 1)));
        }
        m.appendTail(b);
        return b.toString();
    }
}
