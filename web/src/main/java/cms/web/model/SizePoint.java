package cms.web.model;

import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Instant;

/** A pod's node counts from one moment on: ONLINE, STARTING, and all it has that are not stopped or leaving. */
public record SizePoint(Instant at, long online, long starting, long total) {

    public static SizePoint of(Pod pod, Instant at) {
        long live = pod.nodes().stream().filter(n -> n.state() != NodeState.STOPPED && !n.removing()).count();
        return new SizePoint(at, pod.count(NodeState.ONLINE), pod.count(NodeState.STARTING), live);
    }

    boolean sameCounts(SizePoint o) {
        return online == o.online && starting == o.starting && total == o.total;
    }
}
