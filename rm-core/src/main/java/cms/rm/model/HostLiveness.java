package cms.rm.model;

import cms.core.event.HostEvent;
import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.model.Host;
import cms.core.model.HostState;
import cms.core.model.Node;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Host membership and liveness, pure functions of (state, event or now):
 * <ul>
 * <li>a host heard from ({@code HostJoined}, {@code HostHeartbeat}) is READY, seen now (the resource
 * manager's clock, so daemons' clocks may differ); one that was LOST is told to stop every node it ran when
 * it was lost: they were replaced elsewhere or failed, and no node may run twice under one name;</li>
 * <li>a daemon's goodbye ({@code HostLost} from a READY host) makes it LEFT: no new nodes, its nodes left
 * running for the daemon to adopt when it is back;</li>
 * <li>a host not heard from for the liveness setting is LOST ({@link #plan}): its nodes that hold capacity
 * are FAILED "host h2 lost: no heartbeat for 5 s", due for their restart at once (so they are launched again
 * on hosts with room, by {@link NodeRepairs}, if their pod restarts nodes; an elastic pod always does), and
 * nodes being removed are forgotten. A host that nodes name but that was never heard from since the
 * resource manager started counts as silent since then.</li>
 * </ul>
 * When no host at all has been heard from for the liveness setting, it is the resource manager that is cut
 * off (a Kafka outage, or its own pause), not every host at once: nothing is declared lost then, and once
 * heartbeats come again every host has a full liveness setting to be heard from (as Kubernetes stops
 * evicting when every node of a zone looks down).
 */
public final class HostLiveness {

    private HostLiveness() {
    }

    /**
     * What the resource manager has heard on {@code host-events}: since when without a gap longer than the
     * liveness setting, and last. {@link #NONE} after it (re)opens.
     */
    public record Hearing(Instant since, Instant last) {
        public static final Hearing NONE = new Hearing(null, null);

        /** After a host event received {@code now}. */
        public Hearing heard(Instant now, Duration liveness) {
            boolean gap = last == null || last.plus(liveness).isBefore(now);
            return new Hearing(gap ? now : since, now);
        }

        /** Whether some host was heard from within the liveness setting. */
        boolean current(Instant now, Duration liveness) {
            return last != null && !last.plus(liveness).isBefore(now);
        }
    }

    /** The state after the rule, and a {@code HostLost} for each host it declared lost. */
    public record Result(Outcome outcome, List<HostEvent.HostLost> lost) {
    }

    /** A host event applied; commands to a host that was LOST and is heard again: stop what it ran. */
    public static Outcome observe(CloudState state, HostEvent event, Instant now) {
        Host before = state.hosts().get(event.hostId());
        if (event instanceof HostEvent.HostLost e) {
            if (before == null || before.state() == HostState.LOST) {
                return Outcome.unchanged(state, null);
            }
            return Outcome.unchanged(state.withHost(before.in(HostState.LEFT, e.reason())), null);
        }
        Host heard;
        if (event instanceof HostEvent.HostJoined e) {
            heard = new Host(e.hostId(), e.address(), e.cpuCores(), e.memoryMb(), now);
        } else if (event instanceof HostEvent.HostHeartbeat e) {
            heard = new Host(e.hostId(), e.address(), e.cpuCores(), e.memoryMb(), now);
        } else {
            throw new IllegalArgumentException("unhandled host event " + event.getClass().getSimpleName());
        }
        List<NodeCommand> stops = new ArrayList<>();
        if (before != null && before.state() == HostState.LOST) {
            for (Node n : before.lostNodes()) {
                stops.add(new NodeCommand.StopNode(Ids.next(), 1, now, heard.id(), n.name(), n.pod()));
            }
        }
        return new Outcome(state.withHost(heard), List.of(), List.of(), false, stops, null);
    }

    /** Hosts silent past {@code liveness} declared LOST, their nodes failed for a restart elsewhere. */
    public static Result plan(CloudState state, Instant now, Duration liveness, Hearing hearing) {
        if (!hearing.current(now, liveness)) {
            return new Result(Outcome.unchanged(state, null), List.of());
        }
        CloudState next = state;
        Map<String, Pod> changed = new LinkedHashMap<>();
        List<HostEvent.HostLost> events = new ArrayList<>();
        for (String id : silent(state, now, liveness, hearing)) {
            String reason = "host " + id + " lost: no heartbeat for " + NodeRepairs.words(liveness);
            List<Node> ran = new ArrayList<>();
            for (Pod pod : next.pods().values()) {
                Pod after = pod;
                for (Node n : pod.nodes()) {
                    if (id.equals(n.hostId()) && n.state().holdsCapacity()) {
                        ran.add(n);
                        after = n.removing() ? after.withoutNode(n.name()) : after.withNode(n.failedAway(reason, now));
                    }
                }
                if (after != pod) {
                    next = next.withPod(after);
                    changed.put(after.name(), after);
                }
            }
            Host host = state.hosts().getOrDefault(id, new Host(id, null, 0, 0, hearing.since()));
            next = next.withHost(host.lost(reason, ran));
            events.add(new HostEvent.HostLost(Ids.next(), 1, now, id, reason));
        }
        return new Result(new Outcome(next, List.copyOf(changed.values()), List.of(), false, List.of(), null), events);
    }

    /** Hosts not LOST whose last word (or the start of the current hearing, if later) is older than liveness. */
    private static TreeSet<String> silent(CloudState state, Instant now, Duration liveness, Hearing hearing) {
        TreeSet<String> out = new TreeSet<>();
        Instant cutoff = now.minus(liveness);
        for (Host h : state.hosts().values()) {
            Instant last = h.lastSeen() == null || h.lastSeen().isBefore(hearing.since()) ? hearing.since() : h.lastSeen();
            if (h.state() != HostState.LOST && last.isBefore(cutoff)) {
                out.add(h.id());
            }
        }
        if (hearing.since().isBefore(cutoff)) {
            state.pods().values().stream().flatMap(p -> p.nodes().stream())
                    .filter(n -> n.hostId() != null && n.state().holdsCapacity() && !state.hosts().containsKey(n.hostId()))
                    .forEach(n -> out.add(n.hostId()));
        }
        return out;
    }
}
