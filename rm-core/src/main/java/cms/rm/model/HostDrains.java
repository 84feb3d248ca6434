package cms.rm.model;

import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.model.Cordon;
import cms.core.model.Host;
import cms.core.model.Node;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moving the nodes off drained hosts without a failed client request, a pure function of (state, now) run
 * once a second (as {@code kubectl drain} evicts and the ReplicaSet starts a new pod elsewhere, but the new one
 * first):
 * <ol>
 * <li>each running (STARTING or ONLINE) node on a draining host that no node replaces yet gets a replacement:
 * a new node of its pod ({@code POD-N}, {@link Node#replaces()} naming the old one) launched on a READY,
 * uncordoned host with room, by the usual {@link Placement}; when no host has room it waits (the host's
 * {@link cms.core.model.Scheduling} says "waiting for room: N nodes") and is tried again on the next turn;</li>
 * <li>once a replacement has been ONLINE for {@code settle} (the balancer's health checks take it into
 * rotation), the old node is removed the usual graceful way ({@link NodeRemoval}: DRAINING, drained by the
 * balancer, then stopped, or stopped after the drain timeout) and the replacement's link is cleared;</li>
 * <li>a replacement whose old node is gone or already leaving just drops its link; an old node that FAILED or
 * STOPPED meanwhile is forgotten, its replacement taking its place (so it is not restarted as well).</li>
 * </ol>
 * Moves already started finish after an uncordon; no new ones start then.
 */
public final class HostDrains {

    /** How long a replacement is ONLINE before the node it replaces is drained: HAProxy's rise of 2 checks. */
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(2);

    private HostDrains() {
    }

    /** One node being moved: from its host to {@code to} as {@code replacement}. */
    public record Move(String pod, String node, String replacement, String to) {
    }

    /** The state after this turn's steps, and the moves started in it. */
    public record Result(Outcome outcome, List<Move> started) {
    }

    public static Result plan(CloudState state, Instant now, Placement placement, Duration settle) {
        Map<String, Pod> changed = new LinkedHashMap<>();
        List<NodeCommand> commands = new ArrayList<>();
        CloudState next = finishMoves(state, now, settle, changed, commands);
        List<Move> started = new ArrayList<>();
        for (Cordon c : state.cordons().values()) {
            if (c.drain()) {
                next = startMoves(next, c.hostId(), now, placement, changed, commands, started);
            }
        }
        return new Result(new Outcome(next, List.copyOf(changed.values()), List.of(), false, commands, null),
                List.copyOf(started));
    }

    /** Steps 2 and 3: old nodes drained once their replacement settled; links to nodes gone dropped. */
    private static CloudState finishMoves(CloudState state, Instant now, Duration settle, Map<String, Pod> changed,
                                          List<NodeCommand> commands) {
        CloudState next = state;
        for (Pod original : state.pods().values()) {
            for (Node r : original.nodes()) {
                if (r.replaces() == null || r.removing()) {
                    continue;
                }
                Pod pod = next.requirePod(original.name());
                Optional<Node> old = pod.node(r.replaces());
                if (old.isPresent() && !old.get().removing() && old.get().state().holdsCapacity()) {
                    if (!settled(r, now, settle)) {
                        continue;
                    }
                    Outcome o = NodeRemoval.removeAny(next, pod.name(), old.get().name(), now, "moved off host "
                            + old.get().hostId() + " (drain): replaced by " + r.name() + " on " + r.hostId());
                    commands.addAll(o.commands());
                    pod = o.state().requirePod(pod.name());
                } else if (old.isPresent() && !old.get().removing()) {
                    pod = pod.withoutNode(old.get().name()); // FAILED or STOPPED meanwhile: the replacement is it now
                }
                pod = pod.withNode(pod.node(r.name()).orElseThrow().replacedDone());
                next = next.withPod(pod);
                changed.put(pod.name(), pod);
            }
        }
        return next;
    }

    private static boolean settled(Node r, Instant now, Duration settle) {
        return r.state() == cms.core.model.NodeState.ONLINE && r.since() != null && !r.since().plus(settle).isAfter(now);
    }

    /** Step 1 for one draining host: a replacement launched for each running node that has none. */
    private static CloudState startMoves(CloudState state, String hostId, Instant now, Placement placement,
                                         Map<String, Pod> changed, List<NodeCommand> commands, List<Move> started) {
        CloudState next = state;
        for (String podName : state.pods().keySet()) {
            for (Node old : next.requirePod(podName).nodes()) {
                if (!hostId.equals(old.hostId()) || old.removing() || !old.state().holdsCapacity()
                        || replaced(next.requirePod(podName), old)) {
                    continue;
                }
                Pod pod = next.requirePod(podName);
                Optional<Host> to = placement.choose(next, pod, now);
                if (to.isEmpty()) {
                    break; // no room for this pod's nodes now: the host's scheduling counts them as waiting
                }
                Node replacement = Node.replacing(NodeNames.free(next, podName), old, now).placed(to.get().id(), now);
                pod = pod.withNode(replacement);
                next = next.withPod(pod);
                changed.put(podName, pod);
                commands.add(new NodeCommand.LaunchNode(Ids.next(), 1, now, to.get().id(), replacement.name(), podName,
                        pod.workload(), pod.cpuLimit(), pod.memoryMb()));
                started.add(new Move(podName, old.name(), replacement.name(), to.get().id()));
            }
        }
        return next;
    }

    /** Whether a node of the pod, not itself being removed, takes over from {@code old}. */
    private static boolean replaced(Pod pod, Node old) {
        return pod.nodes().stream().anyMatch(n -> !n.removing() && old.name().equals(n.replaces()));
    }
}
