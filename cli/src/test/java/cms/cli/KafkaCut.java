package cms.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One test host cut off from the broker only: iptables rules in the host's network namespace drop its TCP
 * packets to the broker's address and port and the broker's packets to it, silently (a connection attempt
 * times out, as across a broken network), while everything else goes on: the balancer still reaches the
 * host's nodes and they answer. {@link #heal()} (and {@link #close()}) removes the rules; deleting the
 * namespace would too. Needs iptables (Debian's docker.io depends on it) and a namespace, so root.
 */
final class KafkaCut implements AutoCloseable {

    private final String namespace;
    private final List<List<String>> rules;
    private boolean cut;

    private KafkaCut(String namespace, String brokerAddress, String brokerPort) {
        this.namespace = namespace;
        this.rules = List.of(
                List.of("OUTPUT", "-p", "tcp", "-d", brokerAddress, "--dport", brokerPort, "-j", "DROP"),
                List.of("INPUT", "-p", "tcp", "-s", brokerAddress, "--sport", brokerPort, "-j", "DROP"));
    }

    /** A cut (not made yet) between the host and the broker at {@code bootstrap} (one address:port). */
    static KafkaCut between(TestHosts.Host host, String bootstrap) {
        if (host.namespace() == null) {
            throw new IllegalStateException("host " + host.id() + " is a loopback address; it cannot be cut off");
        }
        int colon = bootstrap.lastIndexOf(':');
        if (colon <= 0 || bootstrap.contains(",")) {
            throw new IllegalArgumentException("one broker address:port expected, not " + bootstrap);
        }
        return new KafkaCut(host.namespace(), bootstrap.substring(0, colon), bootstrap.substring(colon + 1));
    }

    /** Whether iptables runs here (in a namespace, it then works: it was tried with this kernel). */
    static boolean available() {
        try {
            return TestHosts.run("iptables", "--version").contains("iptables");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Drops the host's traffic with the broker from now on. */
    synchronized void cut() {
        for (List<String> rule : rules) {
            iptables("-I", rule);
        }
        cut = true;
    }

    /** Lets it through again. */
    synchronized void heal() {
        if (!cut) {
            return;
        }
        for (List<String> rule : rules) {
            iptables("-D", rule);
        }
        cut = false;
    }

    /** The rules now in force in the host's namespace, e.g. for a failure message. */
    String rules() {
        return TestHosts.run("ip", "netns", "exec", namespace, "iptables", "-w", "-S");
    }

    private void iptables(String action, List<String> rule) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "iptables", "-w",
                action));
        line.addAll(rule);
        TestHosts.run(line.toArray(String[]::new));
    }

    @Override
    public void close() {
        heal();
    }
}
