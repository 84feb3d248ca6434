package cms.balancer.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builders of members and slots, and a small in-memory pool that applies planned steps the way the HAProxy
 * backend does (a freed slot keeps its address) and keeps {@code drainingSince} and {@code reported} the
 * way the balancer loop does.
 */
final class PoolFixture {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String ADDRESS = "10.0.0.9";

    private PoolFixture() {
    }

    static Member serving(String node, int port) {
        return new Member(node, ADDRESS, port, true, false);
    }

    static Member resting(String node, int port) {
        return new Member(node, ADDRESS, port, false, false);
    }

    static Member removing(String node, int port) {
        return new Member(node, ADDRESS, port, false, true);
    }

    static Map<String, Member> members(Member... ms) {
        Map<String, Member> out = new LinkedHashMap<>();
        for (Member m : ms) {
            out.put(m.node(), m);
        }
        return out;
    }

    /** A slot as HAProxy starts it from the server template: in maintenance at 127.0.0.1:1. */
    static Slot free(String name) {
        return new Slot(name, "127.0.0.1", 1, Slot.Admin.MAINT, false, 1, 0, 0);
    }

    /** A slot in rotation at the member's endpoint, promoted and up. */
    static Slot inRotation(String name, Member m) {
        return new Slot(name, m.address(), m.port(), Slot.Admin.READY, true, 1, 0, 0);
    }

    static Slot draining(String name, Member m, boolean up, int sessions, int queued) {
        return new Slot(name, m.address(), m.port(), Slot.Admin.DRAIN, up, 1, sessions, queued);
    }

    static List<SlotStep> plan(Map<String, Member> members, List<Slot> slots) {
        return PoolReconciler.plan(members, slots, Map.of(), Set.of(), T0, TIMEOUT);
    }

    /** One pod's slots, changed only through planned steps (and by the test, for health and sessions). */
    static final class FakePool {
        final List<Slot> slots = new ArrayList<>();
        final Map<String, Instant> drainingSince = new HashMap<>();
        final Set<String> reported = new HashSet<>();

        FakePool(int size) {
            for (int i = 1; i <= size; i++) {
                slots.add(free("s" + i));
            }
        }

        List<SlotStep> tick(Map<String, Member> members, Instant now) {
            List<SlotStep> steps = PoolReconciler.plan(members, List.copyOf(slots), drainingSince, reported, now,
                    TIMEOUT);
            for (SlotStep step : steps) {
                if (step instanceof SlotStep.Assign a) {
                    change(a.slot(), s -> new Slot(s.name(), a.address(), a.port(), Slot.Admin.READY, false, 0, 0, 0));
                } else if (step instanceof SlotStep.Promote p) {
                    change(p.slot(), s -> withWeight(s, 1));
                } else if (step instanceof SlotStep.Ready r) {
                    change(r.slot(), s -> withAdmin(s, Slot.Admin.READY));
                } else if (step instanceof SlotStep.Drain d) {
                    change(d.slot(), s -> withAdmin(s, Slot.Admin.DRAIN));
                    drainingSince.put(d.slot(), now);
                } else if (step instanceof SlotStep.Free f) {
                    change(f.slot(), s -> withAdmin(s, Slot.Admin.MAINT));
                    drainingSince.remove(f.slot());
                } else if (step instanceof SlotStep.Drained d) {
                    reported.add(d.node());
                }
            }
            return steps;
        }

        Slot get(String name) {
            return slots.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
        }

        void change(String name, UnaryOperator<Slot> how) {
            slots.replaceAll(s -> s.name().equals(name) ? how.apply(s) : s);
        }

        void up(String... names) {
            for (String n : names) {
                change(n, s -> new Slot(s.name(), s.address(), s.port(), s.admin(), true, s.weight(), s.sessions(),
                        s.queued()));
            }
        }

        void sessions(String name, int sessions) {
            change(name, s -> new Slot(s.name(), s.address(), s.port(), s.admin(), s.up(), s.weight(), sessions,
                    s.queued()));
        }

        private static Slot withAdmin(Slot s, Slot.Admin admin) {
            return new Slot(s.name(), s.address(), s.port(), admin, s.up(), s.weight(), s.sessions(), s.queued());
        }

        private static Slot withWeight(Slot s, int weight) {
            return new Slot(s.name(), s.address(), s.port(), s.admin(), s.up(), weight, s.sessions(), s.queued());
        }
    }
}
