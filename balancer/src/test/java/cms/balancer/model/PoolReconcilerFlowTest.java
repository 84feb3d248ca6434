package cms.balancer.model;

import static cms.balancer.model.PoolFixture.ADDRESS;
import static cms.balancer.model.PoolFixture.T0;
import static cms.balancer.model.PoolFixture.TIMEOUT;
import static cms.balancer.model.PoolFixture.members;
import static cms.balancer.model.PoolFixture.removing;
import static cms.balancer.model.PoolFixture.resting;
import static cms.balancer.model.PoolFixture.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.balancer.model.PoolFixture.FakePool;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner run tick after tick against a pool that carries its steps out, as the balancer loop does. */
class PoolReconcilerFlowTest {

    private final FakePool pool = new FakePool(5);

    private static SlotStep assign(String slot, String node, int port) {
        return new SlotStep.Assign(slot, node, ADDRESS, port);
    }

    @Test
    void threeNodesComeInThenOneIsRemoved() {
        Map<String, Member> three = members(serving("a", 9001), serving("b", 9002), serving("c", 9003));
        assertEquals(List.of(assign("s1", "a", 9001), assign("s2", "b", 9002), assign("s3", "c", 9003)),
                pool.tick(three, T0));
        assertEquals(List.of(), pool.tick(three, T0.plusSeconds(1)), "checks have not passed yet");
        pool.up("s1", "s2", "s3");
        assertEquals(List.of(new SlotStep.Promote("s1", "a"), new SlotStep.Promote("s2", "b"),
                new SlotStep.Promote("s3", "c")), pool.tick(three, T0.plusSeconds(2)));
        assertEquals(List.of(), pool.tick(three, T0.plusSeconds(3)), "steady state");

        pool.sessions("s2", 4);
        Map<String, Member> bRemoved = members(serving("a", 9001), removing("b", 9002), serving("c", 9003));
        assertEquals(List.of(new SlotStep.Drain("s2", "b")), pool.tick(bRemoved, T0.plusSeconds(4)));
        assertEquals(T0.plusSeconds(4), pool.drainingSince.get("s2"));
        assertEquals(List.of(), pool.tick(bRemoved, T0.plusSeconds(5)), "sessions still open");
        pool.sessions("s2", 0);
        assertEquals(List.of(new SlotStep.Free("s2", "b"), new SlotStep.Drained("b")),
                pool.tick(bRemoved, T0.plusSeconds(6)));
        assertEquals(Slot.Admin.MAINT, pool.get("s2").admin());
        assertEquals(List.of(), pool.tick(bRemoved, T0.plusSeconds(7)), "Drained is reported once");

        Map<String, Member> two = members(serving("a", 9001), serving("c", 9003));
        assertEquals(List.of(), pool.tick(two, T0.plusSeconds(8)));
        Map<String, Member> newcomer = members(serving("a", 9001), serving("c", 9003), serving("d", 9004));
        assertEquals(List.of(assign("s2", "d", 9004)), pool.tick(newcomer, T0.plusSeconds(9)), "freed slot reused");
    }

    @Test
    void stuckSessionsAreCutOffAtTheDrainTimeout() {
        Map<String, Member> one = members(serving("a", 9001));
        pool.tick(one, T0);
        pool.up("s1");
        pool.tick(one, T0);
        pool.sessions("s1", 9);
        Map<String, Member> gone = members(removing("a", 9001));
        assertEquals(List.of(new SlotStep.Drain("s1", "a")), pool.tick(gone, T0.plusSeconds(1)));
        assertEquals(List.of(), pool.tick(gone, T0.plusSeconds(1).plus(TIMEOUT).minusMillis(1)));
        assertEquals(List.of(new SlotStep.Free("s1", "a"), new SlotStep.Drained("a")),
                pool.tick(gone, T0.plusSeconds(1).plus(TIMEOUT)));
        assertTrue(pool.drainingSince.isEmpty());
    }

    @Test
    void pausedPodIsDrainedAndFreedWithoutDrainedThenResumedOnFreshSlots() {
        Map<String, Member> running = members(serving("a", 9001), serving("b", 9002));
        pool.tick(running, T0);
        pool.up("s1", "s2");
        pool.tick(running, T0.plusSeconds(1));
        assertEquals(1, pool.get("s1").weight());

        Map<String, Member> paused = members(resting("a", 9001), resting("b", 9002));
        pool.sessions("s1", 1);
        assertEquals(List.of(new SlotStep.Drain("s1", "a"), new SlotStep.Drain("s2", "b")),
                pool.tick(paused, T0.plusSeconds(2)));
        assertEquals(List.of(new SlotStep.Free("s2", "b")), pool.tick(paused, T0.plusSeconds(3)));
        pool.sessions("s1", 0);
        assertEquals(List.of(new SlotStep.Free("s1", "a")), pool.tick(paused, T0.plusSeconds(4)));
        assertEquals(List.of(), pool.tick(paused, T0.plusSeconds(5)), "a paused pod is idle, and nothing is reported");
        assertTrue(pool.reported.isEmpty());

        assertEquals(List.of(assign("s1", "a", 9001), assign("s2", "b", 9002)), pool.tick(running, T0.plusSeconds(6)));
        assertEquals(0, pool.get("s1").weight());
        pool.up("s1", "s2");
        assertEquals(List.of(new SlotStep.Promote("s1", "a"), new SlotStep.Promote("s2", "b")),
                pool.tick(running, T0.plusSeconds(7)));
    }

    @Test
    void resumeBeforeTheDrainEndsPutsTheSlotBackInRotation() {
        Map<String, Member> running = members(serving("a", 9001));
        pool.tick(running, T0);
        pool.up("s1");
        pool.tick(running, T0);
        pool.sessions("s1", 3);
        assertEquals(List.of(new SlotStep.Drain("s1", "a")), pool.tick(members(resting("a", 9001)), T0.plusSeconds(1)));
        assertEquals(List.of(new SlotStep.Ready("s1", "a")), pool.tick(running, T0.plusSeconds(2)));
        assertEquals(List.of(), pool.tick(running, T0.plusSeconds(3)));
        assertEquals(Slot.Admin.READY, pool.get("s1").admin());
    }

    @Test
    void nodeRemovedBeforeItGotASlotIsReportedOnce() {
        Map<String, Member> gone = members(removing("a", 9001));
        assertEquals(List.of(new SlotStep.Drained("a")), pool.tick(gone, T0));
        assertEquals(List.of(), pool.tick(gone, T0.plusSeconds(1)));
        assertEquals(Set.of("a"), pool.reported);
    }

    @Test
    void moreNodesThanSlotsWaitForASlotToBeFreed() {
        FakePool small = new FakePool(1);
        Map<String, Member> both = members(serving("a", 9001), serving("b", 9002));
        assertEquals(List.of(assign("s1", "a", 9001)), small.tick(both, T0));
        small.up("s1");
        assertEquals(List.of(new SlotStep.Promote("s1", "a")), small.tick(both, T0.plusSeconds(1)));
        Map<String, Member> aGone = members(serving("b", 9002));
        assertEquals(List.of(new SlotStep.Drain("s1", null)), small.tick(aGone, T0.plusSeconds(2)));
        assertEquals(List.of(new SlotStep.Free("s1", null)), small.tick(aGone, T0.plusSeconds(3)));
        assertEquals(List.of(assign("s1", "b", 9002)), small.tick(aGone, T0.plusSeconds(4)));
    }
}
