package cms.core.model;

import java.util.EnumSet;
import java.util.Set;

/** Observed lifecycle of a node, with the transitions DESIGN.md allows. */
public enum NodeState {
    /** Registered, not started. */
    NEW,
    /** A launch command went out; the container or process is starting. */
    STARTING,
    /** Healthy and eligible for the load balancer. */
    ONLINE,
    /** Being taken out of the load balancer before it stops. */
    DRAINING,
    /** Stopped on purpose. */
    STOPPED,
    /** Died or could not start; the node's reason says why. */
    FAILED;

    public Set<NodeState> next() {
        return switch (this) {
            case NEW -> EnumSet.of(STARTING, STOPPED, FAILED);
            case STARTING -> EnumSet.of(ONLINE, DRAINING, STOPPED, FAILED);
            case ONLINE -> EnumSet.of(DRAINING, STOPPED, FAILED);
            case DRAINING -> EnumSet.of(STOPPED, FAILED);
            case STOPPED -> EnumSet.of(STARTING);
            case FAILED -> EnumSet.of(STARTING, STOPPED);
        };
    }

    public boolean canMoveTo(NodeState target) {
        return next().contains(target);
    }

    /** Whether a node in this state holds (or is about to hold) capacity on its host. */
    public boolean holdsCapacity() {
        return this == STARTING || this == ONLINE || this == DRAINING;
    }
}
