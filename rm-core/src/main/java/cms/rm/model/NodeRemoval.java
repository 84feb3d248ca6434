package cms.rm.model;

import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Refusal;
import cms.rm.model.Outcome.Reply;
import java.time.Instant;
import java.util.List;

/**
 * Removing a node, by its state: a node that holds nothing goes at once; a STARTING node is stopped; an
 * ONLINE node is first DRAINING (the balancer takes it out of rotation, then reports it drained) and
 * only then stopped. The node stays listed, marked removing, until it is observed STOPPED.
 */
final class NodeRemoval {

    private NodeRemoval() {
    }

    /** A removal asked for by a user: refused while elasticity owns the pod's size. */
    static Outcome remove(CloudState state, String podName, String nodeName, Instant now) {
        PodRules.manual(state.requirePod(podName), "rm");
        PodRules.name("node", nodeName);
        return removeAny(state, podName, nodeName, now);
    }

    /** A removal by the resource manager itself (a scale-in): no elasticity check. */
    static Outcome removeAny(CloudState state, String podName, String nodeName, Instant now) {
        return removeAny(state, podName, nodeName, now, "removal requested");
    }

    /** A removal by the resource manager itself, {@code why} said by a node that goes DRAINING. */
    static Outcome removeAny(CloudState state, String podName, String nodeName, Instant now, String why) {
        Pod pod = state.requirePod(podName);
        Node node = pod.node(nodeName).orElseThrow(() -> Rejection.of(Refusal.unknownNode(podName, nodeName)));
        switch (node.state()) {
            case NEW, STOPPED, FAILED:
                return Outcome.pod(state, pod.withoutNode(nodeName),
                        Reply.of(200, "node " + nodeName + " removed from pod " + podName, null), List.of());
            case STARTING:
                return Outcome.pod(state, pod.withNode(node.markRemoving()),
                        Reply.of(202, "node " + nodeName + " is being stopped", node.markRemoving()),
                        node.hostId() == null ? List.of() : List.of(stop(node, now)));
            case ONLINE:
                Node draining = node.markRemoving().moveTo(NodeState.DRAINING, why, now);
                return Outcome.pod(state, pod.withNode(draining),
                        Reply.of(202, "node " + nodeName + " is DRAINING; it stops once drained", draining), List.of());
            default:
                return Outcome.pod(state, pod.withNode(node.markRemoving()),
                        Reply.of(202, "node " + nodeName + " is already DRAINING", node.markRemoving()), List.of());
        }
    }

    static NodeCommand stop(Node node, Instant now) {
        return new NodeCommand.StopNode(Ids.next(), 1, now, node.hostId(), node.name(), node.pod());
    }
}
