package cms.balancer.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps that take one pod's backend from what it is ({@code slots}) to what it should be
 * ({@code members}): a pure function, run again on every tick, so a lost step is simply planned again.
 * Slots are matched to nodes by address and port. A slot is freed only after it drained (no sessions,
 * nothing queued) or its drain timed out, never straight from rotation.
 */
public final class PoolReconciler {

    private PoolReconciler() {
    }

    /**
     * @param drainingSince when each slot started draining (kept by the caller)
     * @param reported      removing nodes already reported drained
     */
    public static List<SlotStep> plan(Map<String, Member> members, List<Slot> slots, Map<String, Instant> drainingSince,
                                      Set<String> reported, Instant now, Duration drainTimeout) {
        List<SlotStep> steps = new ArrayList<>();
        Map<String, Member> byEndpoint = new HashMap<>();
        members.values().forEach(m -> byEndpoint.put(m.endpoint(), m));
        Map<String, Slot> held = new HashMap<>();
        for (Slot s : slots) {
            if (s.free()) {
                continue;
            }
            Member m = byEndpoint.get(s.endpoint());
            if (m == null || held.containsKey(m.node())) {
                drainThenFree(s, null, drainingSince, now, drainTimeout, steps);
                continue;
            }
            held.put(m.node(), s);
            if (m.serve()) {
                if (s.admin() == Slot.Admin.DRAIN) {
                    steps.add(new SlotStep.Ready(s.name(), m.node()));
                } else if (s.weight() == 0 && s.up()) {
                    steps.add(new SlotStep.Promote(s.name(), m.node()));
                }
            } else {
                drainThenFree(s, m, drainingSince, now, drainTimeout, steps);
            }
        }
        List<Slot> free = slots.stream().filter(Slot::free).toList();
        int nextFree = 0;
        for (Member m : members.values()) {
            if (held.containsKey(m.node())) {
                continue;
            }
            if (m.serve()) {
                if (nextFree < free.size()) {
                    steps.add(new SlotStep.Assign(free.get(nextFree++).name(), m.node(), m.address(), m.port()));
                }
            } else if (m.removing() && !reported.contains(m.node())) {
                steps.add(new SlotStep.Drained(m.node()));
            }
        }
        return steps;
    }

    private static void drainThenFree(Slot s, Member m, Map<String, Instant> drainingSince, Instant now,
                                      Duration drainTimeout, List<SlotStep> steps) {
        String node = m == null ? null : m.node();
        if (s.admin() == Slot.Admin.READY) {
            steps.add(new SlotStep.Drain(s.name(), node));
            return;
        }
        Instant since = drainingSince.get(s.name());
        boolean empty = s.sessions() == 0 && s.queued() == 0;
        boolean overdue = since != null && !since.plus(drainTimeout).isAfter(now);
        if (empty || overdue || !s.up()) {
            steps.add(new SlotStep.Free(s.name(), node));
            if (m != null && m.removing()) {
                steps.add(new SlotStep.Drained(m.node()));
            }
        }
    }
}
