package cms.cli;

import java.util.List;

/**
 * Lets the test hosts talk to each other, not only to the control address: on a machine with Docker, bridged
 * frames go through iptables' FORWARD chain (br_netfilter, {@code net.bridge.bridge-nf-call-iptables=1}),
 * whose policy Docker sets to DROP, so a service in one namespace could not reach another's (Kafka on m1 from
 * the balancer on m2). One ACCEPT rule for the test's bridge, marked with a comment; removed on close, and
 * rules left by a run whose JVM is gone are removed when the next one starts.
 */
final class BridgeForwarding implements AutoCloseable {

    private static final String COMMENT = "cms-test-hosts";
    private final List<String> rule;

    private BridgeForwarding(List<String> rule) {
        this.rule = rule;
    }

    /**
     * Accepts forwarding between the ports of the bridge that {@code host}'s veth is on (nothing to do where
     * there is no iptables: then nothing filters what is bridged).
     */
    static BridgeForwarding open(TestHosts.Host host) {
        if (!removeLeftovers()) {
            return new BridgeForwarding(null);
        }
        String veth = host.veth();
        String bridge = veth.substring(0, veth.lastIndexOf('v')) + "br";
        List<String> rule = List.of("FORWARD", "-i", bridge, "-o", bridge, "-m", "comment", "--comment", COMMENT,
                "-j", "ACCEPT");
        iptables("-I", rule);
        return new BridgeForwarding(rule);
    }

    @Override
    public void close() {
        if (rule == null) {
            return;
        }
        try {
            iptables("-D", rule);
        } catch (RuntimeException e) {
            System.err.println("clean-up: " + e.getMessage());
        }
    }

    /** Whether iptables is here; if so, our rules of gone runs are deleted. */
    private static boolean removeLeftovers() {
        String rules;
        try {
            rules = TestHosts.run("iptables", "-S", "FORWARD");
        } catch (RuntimeException e) {
            return false;
        }
        for (String line : rules.lines().filter(l -> l.contains(COMMENT)).toList()) {
            String[] words = line.trim().split("\\s+");
            String bridge = words.length > 3 ? words[3] : "";
            if (TestHosts.leftover(bridge)) {
                String[] delete = new String[words.length + 1];
                delete[0] = "iptables";
                System.arraycopy(words, 0, delete, 1, words.length);
                delete[1] = "-D";
                TestHosts.run(delete);
            }
        }
        return true;
    }

    private static void iptables(String action, List<String> rule) {
        String[] line = new String[rule.size() + 2];
        line[0] = "iptables";
        line[1] = action;
        for (int i = 0; i < rule.size(); i++) {
            line[i + 2] = rule.get(i);
        }
        TestHosts.run(line);
    }
}
