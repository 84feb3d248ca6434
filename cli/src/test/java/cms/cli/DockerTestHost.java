package cms.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A test host whose node daemon runs its nodes as Docker containers. The daemon runs in the host's network
 * namespace like any other, and reaches the machine's one Docker engine through its Unix socket (a socket on
 * the file system is not in a network namespace). The engine runs in the root namespace, where the host's own
 * address does not exist, so it cannot publish containers there; they are published on an address of the
 * root namespace instead: one added to the test bridge for this host ({@code .200+N} of the test subnet), which
 * the balancer and every host reach. That address is the host's advertised address ({@code CMS_HOST_ADDRESS}):
 * nodes are reported there, and the daemon's health checks go there from inside the namespace.
 *
 * <p>What such a host cannot do: its containers live outside its namespace, so cutting the host off
 * ({@link TestHosts#cut}, {@link KafkaCut}) or killing it ({@link TestHosts#kill}) leaves them serving;
 * it is for tests of placement and serving, not of loss or partitions. {@link #close()} kills the daemon,
 * removes every container it made (by the host's labels and container names), and the address.
 */
final class DockerTestHost implements AutoCloseable {

    private final TestHosts hosts;
    private final String id;
    private final String bridge;
    private final String address;

    private DockerTestHost(TestHosts hosts, String id, String bridge, String address) {
        this.hosts = hosts;
        this.id = id;
        this.bridge = bridge;
        this.address = address;
    }

    /**
     * Starts host {@code id}'s daemon again with the Docker driver and its nodes published on a new address of
     * the bridge; {@code env} on top (e.g. the capacity).
     */
    static DockerTestHost start(TestHosts hosts, String id, Path dir, String bootstrap, Map<String, String> env) {
        if (!hosts.usesNamespaces()) {
            throw new IllegalStateException("Docker test hosts need network namespaces");
        }
        String control = hosts.controlAddress();
        String bridge = bridgeOf(control);
        int n = Integer.parseInt(id.substring(1));
        String address = control.substring(0, control.lastIndexOf('.') + 1) + (200 + n);
        TestHosts.run("ip", "addr", "add", address + "/32", "dev", bridge);
        DockerTestHost host = new DockerTestHost(hosts, id, bridge, address);
        try {
            Map<String, String> all = new HashMap<>(env);
            all.putAll(Map.of("CMS_NODE_DRIVER", "docker", "CMS_HOST_ADDRESS", address));
            hosts.startDaemon(id, dir, bootstrap, all);
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    /** Where the host's containers are published (its advertised address). */
    String address() {
        return address;
    }

    /** The names of the host's containers that run now. */
    String runningContainers() {
        return TestHosts.run("docker", "ps", "--filter", "label=cms.host=" + id, "--filter", "name=^cms-" + id + "-",
                "--format", "{{.Names}} {{.Ports}}").strip();
    }

    /** The interface that holds {@code address} (the test bridge, for the control address). */
    private static String bridgeOf(String address) {
        for (String line : TestHosts.run("ip", "-o", "-4", "addr", "show").lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 3 && f[3].startsWith(address + "/")) {
                return f[1];
            }
        }
        throw new IllegalStateException("no interface holds " + address);
    }

    @Override
    public void close() {
        hosts.kill(id); // first the daemon, so that it does not report or restart the containers removed below
        String ids = TestHosts.run("docker", "ps", "-aq", "--filter", "label=cms.host=" + id, "--filter",
                "name=^cms-" + id + "-");
        for (String container : ids.split("\\s+")) {
            if (!container.isBlank()) {
                TestHosts.run("docker", "rm", "-f", container);
            }
        }
        try {
            TestHosts.run("ip", "addr", "del", address + "/32", "dev", bridge);
        } catch (RuntimeException e) {
            System.err.println("clean-up: " + e.getMessage()); // gone with the bridge already
        }
    }
}
