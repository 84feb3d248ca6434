package cms.core.model;

import java.time.Instant;

/**
 * One instance of a pod's workload. {@code state} is what was last observed; {@code removing} is the
 * desired state "gone", kept until the node is observed STOPPED (or never started).
 */
public record Node(String name, String pod, NodeState state, String hostId, String address, Integer port,
                   boolean removing, String reason, Instant since) {

    public static Node registered(String name, String pod, Instant now) {
        return new Node(name, pod, NodeState.NEW, null, null, null, false, null, now);
    }

    public Node moveTo(NodeState target, String why, Instant now) {
        if (target != state && !state.canMoveTo(target)) {
            throw new IllegalStateException("node " + name + " cannot go from " + state + " to " + target);
        }
        return new Node(name, pod, target, hostId, address, port, removing, why, target == state ? since : now);
    }

    public Node placed(String host, Instant now) {
        return new Node(name, pod, NodeState.STARTING, host, null, null, removing, null, now);
    }

    /** The node as reported running on {@code host} (kept when the report names no host). */
    public Node onHost(String host) {
        return host == null ? this : new Node(name, pod, state, host, address, port, removing, reason, since);
    }

    public Node at(String newAddress, Integer newPort) {
        return new Node(name, pod, state, hostId, newAddress, newPort, removing, reason, since);
    }

    public Node markRemoving() {
        return new Node(name, pod, state, hostId, address, port, true, reason, since);
    }
}
