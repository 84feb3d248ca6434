package cms.rm.model;

import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.model.Host;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node lifecycle rules the resource manager applies once a second, a pure function of (state, now):
 * <ol>
 * <li>a node STARTING for longer than the start timeout is FAILED "no word from host X within …" and its
 * host is told to stop it, so a launch the host never acted on does not hold capacity for ever (one
 * being removed is forgotten instead);</li>
 * <li>a FAILED node that {@link Pod#restarts(Node) restarts} waits a back-off that doubles on each
 * failure (its reason says "exit 1; restart 4 in 80 s"), then is launched again under its own name on a
 * host with room; the back-off is forgotten once it has stayed ONLINE long enough;</li>
 * <li>nodes that will not run again are forgotten after a while ({@link NodeRetention}).</li>
 * </ol>
 * Like Kubernetes' crash-loop back-off: an image that exits at once costs a launch every 5 minutes at
 * most, and its pod's snapshot stays small.
 */
public final class NodeRepairs {

    private static final int MAX_REASON_CHARS = 200;
    private static final String RESTART = "; restart ";

    private NodeRepairs() {
    }

    public static Outcome plan(CloudState state, Instant now, RepairSettings s, Placement placement) {
        CloudState next = state;
        List<Pod> changed = new ArrayList<>();
        List<NodeCommand> commands = new ArrayList<>();
        for (String name : state.pods().keySet()) {
            Pod before = next.requirePod(name);
            Pod pod = NodeRetention.prune(timeOut(before, now, s, commands), now, s);
            if (pod != before) { // a copy of the state per pod, every second, is most of the tick with 1 000 hosts
                next = next.withPod(pod);
            }
            for (Node n : pod.nodes()) {
                Node repaired = restart(next, pod, n, now, s, placement, commands);
                if (repaired != n) {
                    pod = pod.withNode(repaired);
                    next = next.withPod(pod);
                }
            }
            if (!pod.equals(before)) {
                changed.add(pod);
            }
        }
        return new Outcome(next, changed, List.of(), false, commands, null);
    }

    /** Nodes STARTING past the start timeout: FAILED (or forgotten, when being removed), with a stop sent. */
    private static Pod timeOut(Pod pod, Instant now, RepairSettings s, List<NodeCommand> commands) {
        Pod out = pod;
        for (Node n : pod.nodes()) {
            if (n.state() != NodeState.STARTING || n.since() != null && n.since().plus(s.startTimeout()).isAfter(now)) {
                continue;
            }
            if (n.hostId() != null) {
                commands.add(NodeRemoval.stop(n, now));
            }
            out = n.removing() ? out.withoutNode(n.name()) : out.withNode(n.moveTo(NodeState.FAILED, "no word from "
                    + (n.hostId() == null ? "its host" : "host " + n.hostId()) + " within "
                    + words(s.startTimeout()), now));
        }
        return out;
    }

    /** The node after its restart rules: back-off reset, restart scheduled, or launched again (else itself). */
    private static Node restart(CloudState state, Pod pod, Node n, Instant now, RepairSettings s, Placement placement,
                                List<NodeCommand> commands) {
        if (n.state() == NodeState.ONLINE && n.backoffMs() != null && n.since() != null
                && !n.since().plus(s.backoffReset()).isAfter(now)) {
            return n.backoffReset();
        }
        if (!pod.restarts(n)) {
            return n;
        }
        Node due = n.restartAt() == null ? scheduled(n, now, s) : n;
        if (due.restartAt().isAfter(now)) {
            return due;
        }
        Optional<Host> host = placement.choose(state, pod, now);
        if (host.isEmpty()) {
            String waiting = base(due.reason()) + RESTART + (due.restartCount() + 1) + " waits for a host with room";
            return waiting.equals(due.reason()) ? due : due.because(waiting);
        }
        commands.add(new NodeCommand.LaunchNode(Ids.next(), 1, now, host.get().id(), n.name(), pod.name(),
                pod.workload(), pod.cpuLimit(), pod.memoryMb()));
        return due.restarted(host.get().id(), now);
    }

    /** A FAILED node given its restart time: its failure plus the next back-off, said in its reason. */
    private static Node scheduled(Node n, Instant now, RepairSettings s) {
        long wait = s.nextBackoffMs(n.backoffMs());
        Instant failedAt = n.since() == null ? now : n.since();
        return n.restartDue(failedAt.plusMillis(wait), wait, cut(n.reason()) + RESTART + (n.restartCount() + 1)
                + " in " + words(Duration.ofMillis(wait)));
    }

    /** The failure as reported, cut to a bounded length. */
    private static String cut(String reason) {
        if (reason == null || reason.isBlank()) {
            return "failed";
        }
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 1) + "…";
    }

    /** The failure of a node waiting for its restart, without the restart note {@link #plan} added. */
    private static String base(String reason) {
        int note = reason == null ? -1 : reason.lastIndexOf(RESTART);
        return note >= 0 ? reason.substring(0, note) : cut(reason);
    }

    /** "80 s", "2 min" or "500 ms", as people read it. */
    static String words(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 300_000) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
