package cms.rm.model;

import cms.core.model.Node;
import cms.core.model.NodeState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Nodes being removed that have been DRAINING longer than the drain timeout: the balancer has not
 * reported them drained (none runs, or it is stuck), so the resource manager stops them anyway, as a
 * container platform ends a pod after its termination grace period.
 */
public final class DrainTimeouts {

    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private DrainTimeouts() {
    }

    public static List<Node> overdue(CloudState state, Instant now, Duration timeout) {
        return state.pods().values().stream().flatMap(p -> p.nodes().stream())
                .filter(n -> n.removing() && n.state() == NodeState.DRAINING && n.hostId() != null)
                .filter(n -> n.since() == null || !n.since().plus(timeout).isAfter(now))
                .toList();
    }
}
