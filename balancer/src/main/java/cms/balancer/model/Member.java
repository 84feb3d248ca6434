package cms.balancer.model;

import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node as the balancer should treat it: {@code serve} true means in rotation; false means drained out
 * of rotation (it is DRAINING, or its pod is paused). {@code removing} nodes are reported drained once
 * out, so that the resource manager can stop them.
 */
public record Member(String node, String address, int port, boolean serve, boolean removing) {

    public String endpoint() {
        return address + ":" + port;
    }

    /** The members of a pod: its ONLINE and DRAINING nodes that have an address. */
    public static Map<String, Member> of(Pod pod) {
        Map<String, Member> out = new LinkedHashMap<>();
        for (Node n : pod.nodes()) {
            boolean online = n.state() == NodeState.ONLINE;
            boolean draining = n.state() == NodeState.DRAINING;
            // an address that is not one (only a forged pods record could hold it: the resource manager checks
            // them) never reaches an HAProxy command
            if ((online || draining) && n.address() != null && n.port() != null && n.port() > 0 && n.port() <= 65535
                    && cms.core.config.NetAddress.eventAddressProblem("address", n.address()).isEmpty()) {
                out.put(n.name(), new Member(n.name(), n.address(), n.port(), online && !pod.paused(), n.removing()));
            }
        }
        return out;
    }
}
