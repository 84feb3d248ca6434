package cms.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * N hosts on this machine for integration tests, each a network namespace with its own address on a bridge
 * the test makes ({@code ip netns}, {@code ip link}, veth pairs; root only), and a "control" address on the
 * bridge itself, where the test runs Kafka, the resource manager and the balancer. Each host runs a
 * {@code cms node-daemon} inside its namespace ({@code ip netns exec}), with the process driver, so its
 * nodes listen on the host's address and die with it.
 *
 * <p>Every name it makes starts with {@code cmt<pid>-<n>} (the test JVM's pid in base 36, then the number of
 * this instance in that JVM), so leftovers of a
 * run that crashed (whose JVM is gone) are found and removed when the next one starts. {@link #close()}
 * kills every process in its namespaces and deletes the namespaces, links and bridge it made; it runs from
 * the test's clean-up, so also when the test failed.
 *
 * <p>Where namespaces cannot be made (not root, no iproute2), hosts are loopback addresses
 * (127.0.1.N: Linux routes all of 127/8 to {@code lo}) with the control address 127.0.0.1; a host is then
 * killed by its daemon's process tree, and cannot be cut off ({@link #canCut()}). The integration tests
 * ({@code OnTestHosts}) and {@code cms bench hosts} check {@link #namespacesAvailable()} first and do not use
 * that fallback: a test skips (fails under {@code -Dcms.requireRealParts=true}), the bench exits with an error.
 */
final class TestHosts implements AutoCloseable {

    static final String PREFIX = "cmt";
    private static final String SUBNET = "10.213.";
    private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

    /** One test host: its id, its namespace (null on loopback), the root side of its veth, its address. */
    record Host(String id, String namespace, String veth, String address) {
    }

    private final boolean namespaces;
    private final String tag;
    private final String controlAddress;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Map<String, ServiceProcess> daemons = new HashMap<>();

    private TestHosts(boolean namespaces, String tag, String controlAddress) {
        this.namespaces = namespaces;
        this.tag = tag;
        this.controlAddress = controlAddress;
    }

    /** Makes {@code count} hosts h1…hN (namespaces where this machine allows, else loopback, see above). */
    static TestHosts create(int count) {
        boolean ns = namespacesAvailable();
        removeLeftovers();
        // one tag per instance: a JVM that makes hosts more than once (the integration tests) never meets a
        // name of its own earlier hosts, even if their clean-up could not delete everything
        String tag = PREFIX + Long.toString(ProcessHandle.current().pid(), 36) + "-" + INSTANCES.incrementAndGet();
        if (!ns) {
            TestHosts t = new TestHosts(false, tag, "127.0.0.1");
            for (int i = 1; i <= count; i++) {
                t.hosts.put("h" + i, new Host("h" + i, null, null, "127.0.1." + i));
            }
            return t;
        }
        String net = SUBNET + freeSubnet() + ".";
        TestHosts t = new TestHosts(true, tag, net + "1");
        try {
            String bridge = tag + "br";
            ip("link", "add", bridge, "type", "bridge");
            ip("addr", "add", t.controlAddress + "/24", "dev", bridge);
            ip("link", "set", bridge, "up");
            for (int i = 1; i <= count; i++) {
                Host h = new Host("h" + i, tag + "h" + i, tag + "v" + i, net + (10 + i));
                t.hosts.put(h.id(), h);
                ip("netns", "add", h.namespace());
                ip("link", "add", h.veth(), "type", "veth", "peer", "name", "eth0", "netns", h.namespace());
                ip("link", "set", h.veth(), "master", bridge, "up");
                ip("-n", h.namespace(), "addr", "add", h.address() + "/24", "dev", "eth0");
                ip("-n", h.namespace(), "link", "set", "eth0", "up");
                ip("-n", h.namespace(), "link", "set", "lo", "up");
            }
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    boolean usesNamespaces() {
        return namespaces;
    }

    /** Where Kafka, the resource manager, the balancer's frontends and the API are reached from every host. */
    String controlAddress() {
        return controlAddress;
    }

    List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    Host host(String id) {
        Host h = hosts.get(id);
        if (h == null) {
            throw new IllegalArgumentException("no test host " + id);
        }
        return h;
    }

    /** The test host whose address is {@code address}, if any. */
    Optional<Host> byAddress(String address) {
        return hosts.values().stream().filter(h -> h.address().equals(address)).findFirst();
    }

    /**
     * Starts {@code cms node-daemon} on the host (in its namespace), with the process driver, the host's id
     * and address, and {@code env} on top; returns once it runs (it is READY to the resource manager a moment
     * later, once its join token is checked: {@link HostsCluster#awaitHostReady}).
     */
    ServiceProcess startDaemon(String id, Path dir, String bootstrap, Map<String, String> env) {
        Host h = host(id);
        Map<String, String> all = new HashMap<>(Map.of("CMS_KAFKA", bootstrap, "CMS_NODE_DRIVER", "process",
                "CMS_HOST_ID", h.id(), "CMS_HOST_ADDRESS", h.address(),
                "CMS_NODE_DIR", dir.resolve("nodes-" + h.id()).toString()));
        all.putAll(env);
        // it joins as an operator's host does: with a join token for its id (one given in env wins)
        all.putIfAbsent("CMS_JOIN_TOKEN", InstallTokens.join(new cms.core.kafka.KafkaSettings(bootstrap), h.id()));
        List<String> prefix = h.namespace() == null ? List.of() : List.of("ip", "netns", "exec", h.namespace());
        // the host's daemon before, if any, is stopped first: its goodbye (a HostLost, which makes a READY host
        // LEFT) written after the new daemon's HostJoined would leave the host LEFT, with no room for nodes
        ServiceProcess before = daemons.remove(id);
        if (before != null) {
            before.close();
        }
        ServiceProcess daemon = ServiceProcess.start(dir, prefix, List.of("node-daemon"), all, "node daemon: host");
        daemons.put(id, daemon);
        return daemon;
    }

    /**
     * The machine dies: SIGKILL to every process of the host (its daemon and its nodes), at once, with no
     * goodbye. Returns how many processes were killed.
     */
    int kill(String id) {
        Host h = host(id);
        List<ProcessHandle> victims = new ArrayList<>();
        if (h.namespace() != null) {
            for (String pid : run("ip", "netns", "pids", h.namespace()).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(victims::add);
            }
        } else {
            ServiceProcess d = daemons.get(id);
            if (d != null) {
                ProcessHandle.of(d.pid()).ifPresent(p -> {
                    victims.add(p);
                    p.descendants().forEach(victims::add);
                });
            }
        }
        victims.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : victims) {
            p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
        }
        ServiceProcess d = daemons.remove(id);
        if (d != null) {
            d.close();
        }
        return victims.size();
    }

    /** How many processes run in the host's namespace (its daemon and its nodes). */
    int processes(String id) {
        Host h = requireNamespace(id);
        return (int) run("ip", "netns", "pids", h.namespace()).lines().filter(l -> !l.isBlank()).count();
    }

    /** Whether a host can be cut off from the network ({@link #cut}): only in a namespace. */
    boolean canCut() {
        return namespaces;
    }

    /** Takes the host's link down: it keeps running, but reaches nothing and nothing reaches it. */
    void cut(String id) {
        ip("link", "set", requireNamespace(id).veth(), "down");
    }

    /** Puts the host's link up again. */
    void heal(String id) {
        ip("link", "set", requireNamespace(id).veth(), "up");
    }

    private Host requireNamespace(String id) {
        Host h = host(id);
        if (h.namespace() == null) {
            throw new IllegalStateException("host " + id + " is a loopback address; it cannot be cut off");
        }
        return h;
    }

    @Override
    public void close() {
        for (String id : new ArrayList<>(hosts.keySet())) {
            try {
                kill(id);
            } catch (RuntimeException e) {
                System.err.println("test host " + id + ": " + e);
            }
        }
        if (namespaces) {
            for (Host h : hosts.values()) {
                runQuietly("ip", "netns", "del", h.namespace());
                // the root side of its veth: gone with the namespace unless a process still holds that namespace
                if (linkExists(h.veth())) {
                    runQuietly("ip", "link", "del", h.veth());
                }
            }
            runQuietly("ip", "link", "del", tag + "br");
        }
    }

    private static boolean linkExists(String link) {
        try {
            run("ip", "link", "show", "dev", link);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Root, {@code ip netns} and bridges work here: checked by making and deleting a namespace. */
    static boolean namespacesAvailable() {
        String probe = PREFIX + Long.toString(ProcessHandle.current().pid(), 36) + "-probe";
        try {
            ip("netns", "add", probe);
            ip("netns", "del", probe);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Namespaces and links of earlier runs whose JVM is gone: their processes killed, they deleted. */
    static void removeLeftovers() {
        String names;
        String links;
        try {
            names = run("ip", "netns", "list");
            links = run("ip", "-o", "link", "show");
        } catch (RuntimeException e) {
            return; // no ip: nothing of ours can be left
        }
        for (String line : names.lines().toList()) {
            String ns = line.split("\\s+")[0];
            if (leftover(ns)) {
                for (String pid : run("ip", "netns", "pids", ns).lines().map(String::strip).filter(l -> !l.isEmpty())
                        .toList()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
                runQuietly("ip", "netns", "del", ns);
            }
        }
        for (String line : links.lines().toList()) {
            String[] parts = line.split(":\\s+", 3);
            String link = parts.length > 1 ? parts[1].split("@")[0] : "";
            if (leftover(link)) {
                runQuietly("ip", "link", "del", link);
            }
        }
    }

    /** A name of ours ({@code cmt<pid36>-…}) whose JVM no longer runs. */
    static boolean leftover(String name) {
        int dash = name.indexOf('-');
        if (!name.startsWith(PREFIX) || dash <= PREFIX.length()) {
            return false;
        }
        try {
            long pid = Long.parseLong(name.substring(PREFIX.length(), dash), 36);
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The first 10.213.N.0/24 that no address of this machine is in. */
    private static int freeSubnet() {
        String addresses = run("ip", "-o", "addr", "show");
        for (int n = 1; n < 255; n++) {
            if (!addresses.contains(" " + SUBNET + n + ".")) {
                return n;
            }
        }
        throw new IllegalStateException("no free " + SUBNET + "N.0/24 subnet for test hosts");
    }

    private static void ip(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "ip";
        System.arraycopy(args, 0, line, 1, args.length);
        run(line);
    }

    private static void runQuietly(String... command) {
        try {
            run(command);
        } catch (RuntimeException e) {
            System.err.println("clean-up: " + e.getMessage());
        }
    }

    /** Runs a command; its output, or an exception naming the command and what it said. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
