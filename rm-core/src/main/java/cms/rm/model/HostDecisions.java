package cms.rm.model;

import cms.core.model.Cordon;
import cms.core.model.Host;
import cms.core.model.Names;
import cms.core.model.Refusal;
import cms.core.model.Scheduling;
import cms.rm.model.Outcome.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The operator's requests about hosts, pure functions of (state, host, now): cordon (no new nodes go there, its
 * nodes stay), uncordon, drain (cordon, then move every node elsewhere, see {@link HostDrains}), and the host
 * list with each host's {@link Scheduling}. A cordon is part of the cloud's record, so the outcome says the
 * cloud changed. A host is known when it was heard from, is cordoned, or a node names it; a bad id is a 400
 * naming {@code host}, an unknown one a 404; nothing changes then.
 */
public final class HostDecisions {

    private final Placement placement;
    private final Duration settle;

    public HostDecisions(Placement placement, Duration settle) {
        this.placement = placement;
        this.settle = settle;
    }

    /** A host as the list shows it: what the resource manager heard, and whether it takes new nodes. */
    public record HostRow(String hostId, String address, String state, String reason, double cpuCores, long memoryMb,
                          Instant lastSeen, String scheduling, boolean cordoned, boolean draining, int nodes,
                          int waitingForRoom, Instant cordonedSince) {
    }

    /** What a drain does: the nodes it moves now (to where, as what), and how many wait for room. */
    public record DrainReply(String hostId, String scheduling, int left, List<HostDrains.Move> moving, int waiting) {
    }

    public Outcome cordon(CloudState state, String hostId, Instant now) {
        String id = requireHost(state, hostId);
        if (state.cordoned(id)) {
            return Outcome.unchanged(state, Reply.of(200, "host " + id + " is already cordoned", row(state, id)));
        }
        CloudState next = state.withCordon(new Cordon(id, now, false));
        int left = Scheduling.of(id, null, state.pods().values()).left();
        return cloud(next, Reply.of(200, "host " + id + " cordoned: no new nodes go there; its " + left
                + " node(s) stay", row(next, id)));
    }

    public Outcome uncordon(CloudState state, String hostId) {
        String id = requireHost(state, hostId);
        Cordon before = state.cordons().get(id);
        if (before == null) {
            return Outcome.unchanged(state, Reply.of(200, "host " + id + " is not cordoned", row(state, id)));
        }
        CloudState next = state.withoutCordon(id);
        String drain = before.drain() && Scheduling.of(id, before, state.pods().values()).left() > 0
                ? "; its drain stops (moves already started finish)" : "";
        return cloud(next, Reply.of(200, "host " + id + " uncordoned: it takes new nodes again" + drain,
                row(next, id)));
    }

    /** Cordons the host for a drain and starts the moves that have room at once; the rest wait for room. */
    public Outcome drain(CloudState state, String hostId, Instant now) {
        String id = requireHost(state, hostId);
        Cordon before = state.cordons().get(id);
        Cordon cordon = before == null ? new Cordon(id, now, true) : before.draining();
        HostDrains.Result r = HostDrains.plan(state.withCordon(cordon), now, placement, settle);
        CloudState next = r.outcome().state();
        List<HostDrains.Move> moving = r.started().stream().filter(m -> id.equals(hostOf(state, m))).toList();
        Scheduling s = Scheduling.of(id, cordon, next.pods().values());
        DrainReply body = new DrainReply(id, s.word(), s.left(), moving, s.waiting());
        String message;
        if (s.left() == 0) {
            message = "host " + id + " cordoned and drained: no node runs there";
        } else {
            List<String> moves = moving.stream().map(m -> m.node() + " -> " + m.replacement() + " on " + m.to())
                    .toList();
            message = "host " + id + " cordoned and draining: " + moving.size() + " node(s) moving"
                    + (moves.isEmpty() ? "" : " (" + String.join(", ", moves) + ")")
                    + (s.waiting() > 0 ? "; waiting for room: " + s.waiting() + " nodes" : "")
                    + "; each old node is drained once its replacement is ONLINE";
        }
        return new Outcome(next, r.outcome().changedPods(), List.of(), true, r.outcome().commands(),
                new Reply(before != null && before.drain() ? 200 : 202, null, message, body));
    }

    /** Every host heard from or cordoned, in id order. */
    public Outcome list(CloudState state) {
        TreeSet<String> ids = new TreeSet<>(state.hosts().keySet());
        ids.addAll(state.cordons().keySet());
        Map<String, Scheduling> scheduling = Scheduling.forHosts(ids, state.cordons(), state.pods().values());
        List<HostRow> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(row(state, id, scheduling.get(id)));
        }
        return Outcome.unchanged(state, Reply.of(200, rows.size() + " host(s)", rows));
    }

    static HostRow row(CloudState state, String id) {
        return row(state, id, Scheduling.of(id, state.cordons().get(id), state.pods().values()));
    }

    private static HostRow row(CloudState state, String id, Scheduling s) {
        Host h = state.hosts().get(id);
        Cordon c = state.cordons().get(id);
        return new HostRow(id, h == null ? null : h.address(), h == null ? "UNKNOWN" : h.state().name(),
                h == null ? "not heard from since the resource manager started" : h.reason(),
                h == null ? 0 : h.cpuCores(), h == null ? 0 : h.memoryMb(), h == null ? null : h.lastSeen(), s.word(),
                s.cordoned(), s.drain() && s.left() > 0, s.left(), s.waiting(), c == null ? null : c.since());
    }

    private static String hostOf(CloudState state, HostDrains.Move m) {
        return state.pod(m.pod()).flatMap(p -> p.node(m.node())).map(n -> n.hostId()).orElse(null);
    }

    /** The cloud's record changed (a cordon), nothing else. */
    private static Outcome cloud(CloudState next, Reply reply) {
        return new Outcome(next, List.of(), List.of(), true, List.of(), reply);
    }

    /** The host id, checked: a 400 naming {@code host} when it cannot be one, a 404 when no host has it. */
    static String requireHost(CloudState state, String hostId) {
        Names.hostIdProblem(hostId).ifPresent(p -> {
            throw Rejection.badField("host", p);
        });
        boolean known = state.hosts().containsKey(hostId) || state.cordoned(hostId) || state.pods().values().stream()
                .flatMap(p -> p.nodes().stream()).anyMatch(n -> hostId.equals(n.hostId()));
        if (!known) {
            throw Rejection.of(Refusal.unknownHost(hostId));
        }
        return hostId;
    }
}
