package cms.nodedaemon.driver;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host ports for nodes. Without a range, the engine or the OS picks a free port (null here). With a
 * range ({@code CMS_NODE_PORTS=20000-20999}), each node gets the lowest port of the range that no
 * other node of this host holds; a port taken by something else makes that node fail with the reason.
 */
public final class NodePorts {

    private final int from;
    private final int to;
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    private NodePorts(int from, int to) {
        this.from = from;
        this.to = to;
    }

    public static NodePorts any() {
        return new NodePorts(0, -1);
    }

    /** Parses {@code FROM-TO} (or a single port); blank means any port. */
    public static NodePorts parse(String range) {
        if (range == null || range.isBlank()) {
            return any();
        }
        String[] parts = range.trim().split("-", 2);
        try {
            int a = Integer.parseInt(parts[0].trim());
            int b = parts.length == 1 ? a : Integer.parseInt(parts[1].trim());
            if (a < 1 || b > 65535 || a > b) {
                throw new IllegalArgumentException("CMS_NODE_PORTS: '" + range + "' is not a range within 1-65535");
            }
            return new NodePorts(a, b);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CMS_NODE_PORTS: '" + range + "' is not FROM-TO", e);
        }
    }

    /** The port for a new node, or null when the engine or the OS should pick one. */
    public synchronized Integer next(String node) {
        if (to < from) {
            return null;
        }
        Integer mine = held.get(node);
        if (mine != null) {
            return mine;
        }
        for (int p = from; p <= to; p++) {
            if (!held.containsValue(p)) {
                held.put(node, p);
                return p;
            }
        }
        throw new IllegalStateException("CMS_NODE_PORTS " + from + "-" + to + " has no free port left");
    }

    public void claim(String node, Integer port) {
        if (port != null && to >= from) {
            held.put(node, port);
        }
    }

    public void release(String node) {
        held.remove(node);
    }
}
