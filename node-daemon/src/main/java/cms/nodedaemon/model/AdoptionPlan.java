package cms.nodedaemon.model;

import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.nodedaemon.driver.RunningNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a starting daemon does with the nodes it finds on its host, given what the resource manager
 * wants there (the compacted {@code pods} topic): adopt the wanted running ones, remove the rest, and
 * report the wanted ones that are dead or missing as FAILED. A node that the resource manager placed
 * here only moments ago may still have its launch command on the way; it is left to that command.
 */
public final class AdoptionPlan {

    /** How long a STARTING node may go without a container before it counts as missing. */
    public static final Duration LAUNCH_GRACE = Duration.ofSeconds(30);

    /** One step of the plan. */
    public sealed interface Step {
        String node();
    }

    /**
     * Keep it and watch it. {@code announced}: the resource manager already has it ONLINE (or DRAINING),
     * so it is not announced again; otherwise its health check makes it ONLINE.
     */
    public record Adopt(RunningNode found, boolean announced) implements Step {
        public Adopt(RunningNode found) {
            this(found, false);
        }

        public String node() {
            return found.node();
        }
    }

    /** Stop and remove it; {@code failedReason} not null means: and report it FAILED for that reason. */
    public record Remove(String node, String pod, String failedReason, Integer exitCode) implements Step {
    }

    /** Wanted here but not found: report it FAILED. */
    public record Missing(String node, String pod, String reason) implements Step {
    }

    private AdoptionPlan() {
    }

    /** Nodes the resource manager wants running on {@code hostId}. */
    public static Map<String, Node> wanted(List<Node> allNodes, String hostId) {
        Set<NodeState> running = Set.of(NodeState.STARTING, NodeState.ONLINE, NodeState.DRAINING);
        return allNodes.stream().filter(n -> hostId.equals(n.hostId()) && running.contains(n.state()))
                .collect(Collectors.toMap(Node::name, Function.identity()));
    }

    public static List<Step> plan(Map<String, Node> wanted, List<RunningNode> found, String hostId, Instant now) {
        List<Step> steps = new ArrayList<>();
        Set<String> seen = found.stream().map(RunningNode::node).collect(Collectors.toSet());
        for (RunningNode r : found) {
            Node w = wanted.get(r.node());
            if (w != null && r.running()) {
                steps.add(new Adopt(r, w.state() != NodeState.STARTING));
            } else if (w != null) {
                steps.add(new Remove(r.node(), r.pod(), r.exitReason(), r.exitCode()));
            } else {
                steps.add(new Remove(r.node(), r.pod(), null, null));
            }
        }
        for (Node w : wanted.values()) {
            boolean launchMayBeComing = w.state() == NodeState.STARTING && w.since() != null
                    && w.since().plus(LAUNCH_GRACE).isAfter(now);
            if (!seen.contains(w.name()) && !launchMayBeComing) {
                steps.add(new Missing(w.name(), w.pod(), "not running on host " + hostId + " when its node daemon "
                        + "started"));
            }
        }
        return steps;
    }
}
