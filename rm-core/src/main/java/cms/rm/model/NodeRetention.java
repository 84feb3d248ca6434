package cms.rm.model;

import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Forgets the nodes of a pod that will not run again (STOPPED, or FAILED and not to be restarted) once
 * they have been kept for the retention time, and beyond the newest {@code retainedPerPod} of them, so a
 * pod snapshot stays small however many nodes have come and gone. Until then they stay listed, with
 * their reason, for inspection.
 */
final class NodeRetention {

    private NodeRetention() {
    }

    /** The pod without the nodes it no longer needs to keep (the same pod when there are none). */
    static Pod prune(Pod pod, Instant now, RepairSettings s) {
        List<Node> done = pod.nodes().stream().filter(n -> isDone(pod, n))
                .sorted(Comparator.comparing(Node::since, Comparator.nullsLast(Comparator.reverseOrder()))).toList();
        Set<String> forget = new HashSet<>();
        for (int i = 0; i < done.size(); i++) {
            Node n = done.get(i);
            if (i >= s.retainedPerPod() || n.since() == null || !n.since().plus(s.retention()).isAfter(now)) {
                forget.add(n.name());
            }
        }
        return forget.isEmpty() ? pod : pod.withNodes(pod.nodes().stream().filter(n -> !forget.contains(n.name()))
                .toList());
    }

    /** A node that will not run again: STOPPED, or FAILED and not to be restarted. */
    static boolean isDone(Pod pod, Node n) {
        return n.state() == NodeState.STOPPED || n.state() == NodeState.FAILED && !pod.restarts(n);
    }
}
