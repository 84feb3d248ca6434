package cms.rm.model;

import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Instant;
import java.util.List;

/**
 * Applies observed facts (node events from daemons and balancer, host events) to the cloud state. A
 * fact about an unknown node, or one the node state machine does not allow, is refused with a reason
 * (the caller sends it to the dead-letter topic); nothing changes then. A failure or stop reported by a
 * host the node is no longer on is a late word about an earlier run and changes nothing; so does a stop
 * reported for a node that FAILED (the stop the resource manager sent after a start timeout): it stays
 * FAILED with its reason, to be restarted. So is a start reported by another host than the one a running
 * node is on (a host that was lost and is heard again: the node runs elsewhere now, and that host is told to
 * stop it). Host
 * events are {@link HostLiveness}'s.
 */
public final class ObservedDecisions {

    private ObservedDecisions() {
    }

    /** @throws IllegalArgumentException with the reason when the event cannot be applied */
    public static Outcome apply(CloudState state, NodeEvent event, Instant now) {
        if (event.pod() == null) {
            throw new IllegalArgumentException("node event for node '" + event.node() + "' without its pod");
        }
        Pod pod = state.pod(event.pod()).orElseThrow(() -> new IllegalArgumentException(
                "node event for unknown pod '" + event.pod() + "'"));
        Node node = pod.node(event.node()).orElseThrow(() -> new IllegalArgumentException(
                "node event for unknown node '" + event.node() + "' of pod " + pod.name()));
        try {
            return applyToNode(state, pod, node, event, now);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Outcome applyToNode(CloudState state, Pod pod, Node node, NodeEvent event, Instant now) {
        if (node.state().holdsCapacity() && (event instanceof NodeEvent.NodeStarting e && fromAnotherHost(node, e.hostId())
                || event instanceof NodeEvent.NodeOnline o && fromAnotherHost(node, o.hostId()))) {
            return unchanged(state);
        }
        if (event instanceof NodeEvent.NodeStarting e) {
            return changed(state, pod, node.moveTo(NodeState.STARTING, null, now).onHost(e.hostId()), List.of());
        } else if (event instanceof NodeEvent.NodeOnline e) {
            // the address and port go into the balancer's HAProxy commands and the job dispatcher's URLs
            cms.core.config.NetAddress.eventAddressProblem("address", e.address()).ifPresent(problem -> {
                throw new IllegalArgumentException("node " + node.name() + " reported ONLINE with a bad address: "
                        + problem);
            });
            if (e.port() < 1 || e.port() > 65535) {
                throw new IllegalArgumentException("node " + node.name() + " reported ONLINE with port " + e.port()
                        + ", not 1..65535");
            }
            Node online = node.moveTo(NodeState.ONLINE, null, now).onHost(e.hostId()).at(e.address(), e.port());
            if (node.removing()) {
                online = online.moveTo(NodeState.DRAINING, "removal requested", now);
            }
            return changed(state, pod, online, List.of());
        } else if (event instanceof NodeEvent.NodeFailed e) {
            if (fromAnotherHost(node, e.hostId())) {
                return unchanged(state);
            }
            if (node.state() == NodeState.NEW) {
                throw new IllegalArgumentException("node " + node.name() + " reported FAILED but was never launched");
            }
            Node failed = node.moveTo(NodeState.FAILED, e.reason(), now);
            return node.removing() ? gone(state, pod, node) : changed(state, pod, failed, List.of());
        } else if (event instanceof NodeEvent.NodeStopped e) {
            if (fromAnotherHost(node, e.hostId()) || node.state() == NodeState.FAILED && !node.removing()) {
                return unchanged(state);
            }
            Node stopped = node.moveTo(NodeState.STOPPED, "stopped", now);
            return node.removing() ? gone(state, pod, node) : changed(state, pod, stopped, List.of());
        } else if (event instanceof NodeEvent.NodeDrained) {
            if (node.state() != NodeState.DRAINING) {
                throw new IllegalArgumentException("node " + node.name() + " reported drained while "
                        + node.state());
            }
            List<NodeCommand> stop = node.hostId() == null ? List.of() : List.of(NodeRemoval.stop(node, now));
            return new Outcome(state, List.of(), List.of(), false, stop, null);
        }
        throw new IllegalArgumentException("unhandled node event " + event.getClass().getSimpleName());
    }

    /**
     * A failure or stop reported by a host the node has left: it was launched again elsewhere after it
     * failed there, so the late word is about the old run, not this one.
     */
    private static boolean fromAnotherHost(Node node, String hostId) {
        return hostId != null && node.hostId() != null && !hostId.equals(node.hostId());
    }

    private static Outcome unchanged(CloudState state) {
        return new Outcome(state, List.of(), List.of(), false, List.of(), null);
    }

    private static Outcome changed(CloudState state, Pod pod, Node node, List<NodeCommand> commands) {
        return Outcome.pod(state, pod.withNode(node), null, commands);
    }

    private static Outcome gone(CloudState state, Pod pod, Node node) {
        return Outcome.pod(state, pod.withoutNode(node.name()), null, List.of());
    }
}
