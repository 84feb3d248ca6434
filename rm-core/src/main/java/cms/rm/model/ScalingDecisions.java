package cms.rm.model;

import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.event.ScalingDecision;
import cms.core.model.Host;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Applies an elasticity decision: the pod's active nodes (NEW, STARTING or ONLINE, or FAILED and waiting
 * for their restart, see {@link Pod#sizedNodes()}; none being removed) are brought to the decided size,
 * held inside the pod's [MIN, MAX] here too: a node that failed is restarted with a back-off by
 * {@link NodeRepairs}, not answered with a new one. Scale-out registers nodes named {@code POD-N} and
 * launches them; scale-in removes the FAILED ones first, then the NEW ones, then those on cordoned hosts (they
 * are to leave anyway), then the newest (STARTING, then ONLINE, each newest first): they have served least and
 * hold no long sessions, and ONLINE ones are drained by the balancer before they stop.
 */
public final class ScalingDecisions {

    private final Placement placement;

    public ScalingDecisions(Placement placement) {
        this.placement = placement;
    }

    /** @throws IllegalArgumentException when the decision cannot be applied (unknown pod, elasticity off) */
    public Outcome apply(CloudState state, ScalingDecision d, Instant now) {
        Pod pod = state.pod(d.pod()).orElseThrow(() -> new IllegalArgumentException("scaling decision for unknown pod '"
                + d.pod() + "'"));
        if (!pod.elasticity().enabled()) {
            throw new IllegalArgumentException("scaling decision for pod " + pod.name() + ", whose elasticity is off");
        }
        int target = Math.max(pod.elasticity().min(), Math.min(pod.elasticity().max(), d.toNodes()));
        List<Node> active = pod.sizedNodes();
        if (target > active.size()) {
            return grow(state, pod, target - active.size(), now);
        }
        if (target < active.size()) {
            return shrink(state, pod, active, active.size() - target, now);
        }
        return new Outcome(state, List.of(), List.of(), false, List.of(), null);
    }

    private Outcome grow(CloudState state, Pod pod, int count, Instant now) {
        CloudState next = state;
        List<NodeCommand> commands = new ArrayList<>();
        int suffix = 1;
        for (int i = 0; i < count; i++) {
            suffix = NodeNames.freeSuffix(next, pod.name(), suffix);
            Pod current = next.requirePod(pod.name());
            Node node = Node.registered(pod.name() + "-" + suffix, pod.name(), now);
            Optional<Host> host = placement.choose(next.withPod(current.withNode(node)), current, now);
            if (host.isPresent()) {
                node = node.placed(host.get().id(), now);
                commands.add(new NodeCommand.LaunchNode(Ids.next(), 1, now, host.get().id(), node.name(), pod.name(),
                        pod.workload(), pod.cpuLimit(), pod.memoryMb()));
            }
            next = next.withPod(current.withNode(node));
        }
        Pod changed = next.requirePod(pod.name());
        return new Outcome(next, List.of(changed), List.of(), false, commands, null);
    }

    /**
     * Launches the NEW nodes of pods under elasticity that a scale-out could not place (no host had
     * room then): run on every tick, so they start as soon as a host has room.
     */
    public Outcome launchWaiting(CloudState state, Instant now) {
        CloudState next = state;
        List<Pod> changed = new ArrayList<>();
        List<NodeCommand> commands = new ArrayList<>();
        for (Pod pod : state.pods().values()) {
            if (!pod.elasticity().enabled()) {
                continue;
            }
            boolean podChanged = false;
            for (Node n : pod.nodes()) {
                if (n.state() != NodeState.NEW || n.removing()) {
                    continue;
                }
                Pod current = next.requirePod(pod.name());
                Optional<Host> host = placement.choose(next, current, now);
                if (host.isEmpty()) {
                    break;
                }
                Node placed = n.placed(host.get().id(), now);
                next = next.withPod(current.withNode(placed));
                commands.add(new NodeCommand.LaunchNode(Ids.next(), 1, now, host.get().id(), placed.name(), pod.name(),
                        pod.workload(), pod.cpuLimit(), pod.memoryMb()));
                podChanged = true;
            }
            if (podChanged) {
                changed.add(next.requirePod(pod.name()));
            }
        }
        return new Outcome(next, changed, List.of(), false, commands, null);
    }

    private static Outcome shrink(CloudState state, Pod pod, List<Node> active, int count, Instant now) {
        List<Node> victims = active.stream().sorted(Comparator.comparingInt((Node n) -> rank(state, n))
                .thenComparing(Node::since, Comparator.nullsLast(Comparator.reverseOrder()))).limit(count).toList();
        CloudState next = state;
        List<NodeCommand> commands = new ArrayList<>();
        for (Node victim : victims) {
            Outcome o = NodeRemoval.removeAny(next, pod.name(), victim.name(), now);
            next = o.state();
            commands.addAll(o.commands());
        }
        return new Outcome(next, List.of(next.requirePod(pod.name())), List.of(), false, commands, null);
    }

    /** FAILED first, then NEW, then those on cordoned hosts (they are to leave anyway), then STARTING, then ONLINE. */
    private static int rank(CloudState state, Node n) {
        NodeState s = n.state();
        if (s == NodeState.FAILED || s == NodeState.NEW) {
            return s == NodeState.FAILED ? -1 : 0;
        }
        return n.hostId() != null && state.cordoned(n.hostId()) ? 1 : s == NodeState.STARTING ? 2 : 3;
    }
}
