package cms.balancer.model;

import static cms.balancer.model.PoolFixture.T0;
import static cms.balancer.model.PoolFixture.TIMEOUT;
import static cms.balancer.model.PoolFixture.draining;
import static cms.balancer.model.PoolFixture.free;
import static cms.balancer.model.PoolFixture.inRotation;
import static cms.balancer.model.PoolFixture.members;
import static cms.balancer.model.PoolFixture.plan;
import static cms.balancer.model.PoolFixture.removing;
import static cms.balancer.model.PoolFixture.resting;
import static cms.balancer.model.PoolFixture.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule of the planner on its own: one pool state in, the steps out. */
class PoolReconcilerTest {

    private static final Member A = serving("a", 9001);
    private static final Member B = serving("b", 9002);
    private static final Member C = serving("c", 9003);

    private static List<SlotStep> planAt(List<Slot> slots, Instant since, Instant now) {
        return PoolReconciler.plan(Map.of(), slots, Map.of("s1", since), Set.of(), now, TIMEOUT);
    }

    @Test
    void nothingToDoForAnEmptyPool() {
        assertEquals(List.of(), plan(members(), List.of(free("s1"), free("s2"))));
    }

    @Test
    void slotInRotationWithoutMemberIsDrainedFirst() {
        assertEquals(List.of(new SlotStep.Drain("s1", null)), plan(members(), List.of(inRotation("s1", A))));
    }

    @Test
    void slotOfAnUnknownEndpointIsDrainedEvenWhenAnotherMemberServes() {
        Member moved = serving("a", 9999);
        List<SlotStep> steps = plan(members(moved), List.of(inRotation("s1", A), free("s2")));
        assertEquals(List.of(new SlotStep.Drain("s1", null), new SlotStep.Assign("s2", "a", PoolFixture.ADDRESS, 9999)),
                steps);
    }

    @Test
    void drainingSlotWithoutMemberWaitsWhileItHasSessionsOrQueue() {
        assertEquals(List.of(), planAt(List.of(draining("s1", A, true, 2, 0)), T0, T0.plusSeconds(10)));
        assertEquals(List.of(), planAt(List.of(draining("s1", A, true, 0, 1)), T0, T0.plusSeconds(10)));
    }

    @Test
    void drainingSlotWithoutMemberIsFreedWhenEmpty() {
        assertEquals(List.of(new SlotStep.Free("s1", null)),
                planAt(List.of(draining("s1", A, true, 0, 0)), T0, T0.plusSeconds(1)));
    }

    @Test
    void drainTimesOutExactlyAtTheTimeout() {
        List<Slot> busy = List.of(draining("s1", A, true, 7, 3));
        assertEquals(List.of(), planAt(busy, T0, T0.plus(TIMEOUT).minusNanos(1)));
        assertEquals(List.of(new SlotStep.Free("s1", null)), planAt(busy, T0, T0.plus(TIMEOUT)));
        assertEquals(List.of(new SlotStep.Free("s1", null)), planAt(busy, T0, T0.plus(TIMEOUT).plusSeconds(1)));
    }

    @Test
    void drainWithoutRecordedStartWaitsForItsSessions() {
        List<SlotStep> steps = PoolReconciler.plan(Map.of(), List.of(draining("s1", A, true, 1, 0)), Map.of(),
                Set.of(), T0.plus(Duration.ofDays(1)), TIMEOUT);
        assertEquals(List.of(), steps);
    }

    @Test
    void downDrainingSlotIsFreedAtOnce() {
        assertEquals(List.of(new SlotStep.Free("s1", null)), planAt(List.of(draining("s1", A, false, 5, 2)), T0, T0));
    }

    @Test
    void secondSlotOfTheSameMemberIsDrainedThenFreed() {
        Map<String, Member> ms = members(A);
        assertEquals(List.of(new SlotStep.Drain("s2", null)),
                plan(ms, List.of(inRotation("s1", A), inRotation("s2", A))));
        assertEquals(List.of(new SlotStep.Free("s2", null)),
                plan(ms, List.of(inRotation("s1", A), draining("s2", A, true, 0, 0))));
    }

    @Test
    void servingMembersDrainingSlotIsPutBackInRotation() {
        assertEquals(List.of(new SlotStep.Ready("s1", "a")),
                plan(members(A), List.of(draining("s1", A, true, 3, 0))));
    }

    @Test
    void newSlotIsPromotedOnlyOnceItsChecksPass() {
        Slot waiting = new Slot("s1", A.address(), A.port(), Slot.Admin.READY, false, 0, 0, 0);
        Slot passing = new Slot("s1", A.address(), A.port(), Slot.Admin.READY, true, 0, 0, 0);
        assertEquals(List.of(), plan(members(A), List.of(waiting)));
        assertEquals(List.of(new SlotStep.Promote("s1", "a")), plan(members(A), List.of(passing)));
        assertEquals(List.of(), plan(members(A), List.of(inRotation("s1", A))));
    }

    @Test
    void promotedSlotThatFailsItsChecksIsLeftToHaproxy() {
        Slot down = new Slot("s1", A.address(), A.port(), Slot.Admin.READY, false, 1, 0, 0);
        assertEquals(List.of(), plan(members(A), List.of(down)));
    }

    @Test
    void memberThatShouldNotServeIsDrainedThenFreed() {
        Member out = resting("a", 9001);
        assertEquals(List.of(new SlotStep.Drain("s1", "a")), plan(members(out), List.of(inRotation("s1", out))));
        List<SlotStep> busy = PoolReconciler.plan(members(out), List.of(draining("s1", out, true, 1, 0)),
                Map.of("s1", T0), Set.of(), T0.plusSeconds(1), TIMEOUT);
        assertEquals(List.of(), busy);
        assertEquals(List.of(new SlotStep.Free("s1", "a")),
                plan(members(out), List.of(draining("s1", out, true, 0, 0))));
    }

    @Test
    void removingMemberIsReportedDrainedRightAfterItsSlotIsFreed() {
        Member gone = removing("a", 9001);
        assertEquals(List.of(new SlotStep.Drain("s1", "a")), plan(members(gone), List.of(inRotation("s1", gone))));
        assertEquals(List.of(new SlotStep.Free("s1", "a"), new SlotStep.Drained("a")),
                plan(members(gone), List.of(draining("s1", gone, true, 0, 0))));
    }

    @Test
    void servingMembersWithoutSlotGetTheNextFreeSlotsInOrder() {
        List<Slot> slots = List.of(inRotation("s1", B), free("s2"), inRotation("s3", C), free("s4"), free("s5"));
        assertEquals(List.of(new SlotStep.Assign("s2", "a", PoolFixture.ADDRESS, 9001),
                        new SlotStep.Assign("s4", "d", PoolFixture.ADDRESS, 9004)),
                plan(members(A, B, C, serving("d", 9004)), slots));
    }

    @Test
    void noFreeSlotMeansNoAssign() {
        assertEquals(List.of(), plan(members(A, B), List.of(inRotation("s1", B))));
        assertEquals(List.of(new SlotStep.Assign("s1", "a", PoolFixture.ADDRESS, 9001)),
                plan(members(A, B, C), List.of(free("s1"))));
        assertEquals(List.of(), plan(members(A), List.of()));
    }

    @Test
    void slotBeingFreedIsNotReusedInTheSamePlan() {
        List<Slot> slots = List.of(draining("s1", C, true, 0, 0));
        assertEquals(List.of(new SlotStep.Free("s1", null)), plan(members(A), slots));
    }

    @Test
    void removingMemberWithoutSlotIsReportedDrainedOnce() {
        Member gone = removing("a", 9001);
        assertEquals(List.of(new SlotStep.Drained("a")), plan(members(gone), List.of(free("s1"))));
        assertEquals(List.of(), PoolReconciler.plan(members(gone), List.of(free("s1")), Map.of(), Set.of("a"), T0,
                TIMEOUT));
    }

    @Test
    void restingMemberWithoutSlotNeedsNothing() {
        Member out = resting("a", 9001);
        Slot freedAtItsEndpoint = new Slot("s1", out.address(), out.port(), Slot.Admin.MAINT, true, 1, 0, 0);
        assertEquals(List.of(), plan(members(out), List.of(freedAtItsEndpoint, free("s2"))));
    }

    @Test
    void freedSlotAtAServingMembersEndpointIsAssignedLikeAnyFreeSlot() {
        Slot freedAtItsEndpoint = new Slot("s2", A.address(), A.port(), Slot.Admin.MAINT, true, 1, 0, 0);
        assertEquals(List.of(new SlotStep.Assign("s1", "a", PoolFixture.ADDRESS, 9001)),
                plan(members(A), List.of(free("s1"), freedAtItsEndpoint)));
    }
}
