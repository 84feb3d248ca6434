package cms.rm.model;

import static cms.rm.model.CloudFixtures.PLACEMENT;
import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.enable;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.node;
import static cms.rm.model.CloudFixtures.observed;
import static cms.rm.model.CloudFixtures.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node lifecycle rules on a fake clock: a FAILED node comes back under its own name after a back-off
 * that doubles from 10 s to 5 min and is forgotten after 10 minutes ONLINE; restart policy {@code never}
 * leaves it FAILED (but an elastic pod's nodes always come back); a node STARTING past the start timeout
 * is FAILED and stopped.
 */
class NodeRepairsTest {

    private static final RepairSettings S = RepairSettings.DEFAULTS;
    private final MutableClock clock = new MutableClock(T0);

    /** Host h1 heard from just now, then one repair pass. */
    private Outcome plan(CloudState s) {
        return NodeRepairs.plan(s.withHost(host("h1", 64, 65536, clock.instant())), clock.instant(), S,
                PLACEMENT);
    }

    private void advance(long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
    }

    private NodeEvent.NodeFailed failed(String pod, String node, String host, String reason) {
        return new NodeEvent.NodeFailed(id(), 1, clock.instant(), node, pod, host, reason, 1);
    }

    /** Pod web (restart policy as given, null for the default) with node w1 STARTING on h1. */
    private CloudState launched(String restartPolicy) {
        CloudState s = given(new AdminRequest.RegisterPod(id(), 1, T0, "web", null, null, null, null, null, null, null,
                null, null, restartPolicy), register("web", "w1"));
        return CloudFixtures.accepted(s.withHost(host("h1", 64, 65536)), launch("web")).state();
    }

    private CloudState failedNow(CloudState s) {
        return observed(s, clock.instant(), failed("web", "w1", "h1", "exit 1"));
    }

    @Test
    void aFailedNodeIsLaunchedAgainUnderItsOwnNameAfterTenSeconds() {
        CloudState s = plan(failedNow(launched(null))).state();
        Node waiting = node(s, "web", "w1");
        assertEquals(NodeState.FAILED, waiting.state());
        assertEquals("exit 1; restart 1 in 10 s", waiting.reason());
        assertEquals(T0.plusSeconds(10), waiting.restartAt());
        advance(9);
        Outcome early = plan(s);
        assertTrue(early.changedPods().isEmpty() && early.commands().isEmpty(), "not before its back-off");
        advance(1);
        Outcome o = plan(early.state());
        Node restarted = node(o.state(), "web", "w1");
        assertEquals(NodeState.STARTING, restarted.state());
        assertEquals("h1", restarted.hostId());
        assertEquals(1, restarted.restartCount());
        assertNull(restarted.restartAt());
        assertEquals(1, o.commands().size());
        NodeCommand.LaunchNode l = (NodeCommand.LaunchNode) o.commands().get(0);
        assertEquals(List.of("w1", "web", "h1"), List.of(l.node(), l.pod(), l.hostId()));
        assertEquals(List.of(o.state().requirePod("web")), o.changedPods());
    }

    /** Fails w1 at once after each launch and returns the waits between launches. */
    private List<Long> waitsBetweenLaunches(CloudState start, int launches) {
        CloudState s = start;
        List<Long> waits = new ArrayList<>();
        Instant last = clock.instant();
        while (waits.size() < launches) {
            s = failedNow(s);
            while (true) {
                advance(1);
                Outcome o = plan(s);
                s = o.state();
                if (!o.commands().isEmpty()) {
                    break;
                }
            }
            waits.add(Duration.between(last, clock.instant()).toSeconds());
            last = clock.instant();
        }
        return waits;
    }

    @Test
    void theBackoffDoublesUpToFiveMinutesAndTheReasonCountsTheRestarts() {
        CloudState s = launched(null);
        assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 300L, 300L), waitsBetweenLaunches(s, 7));
        CloudState again = plan(failedNow(launched(null))).state();
        assertEquals("exit 1; restart 1 in 10 s", node(again, "web", "w1").reason());
    }

    @Test
    void theReasonSaysWhichRestartComesAndWhen() {
        // third restart done, 40 s waited last: the fourth waits 80 s
        CloudState afterThree = launched(null);
        for (int i = 0; i < 3; i++) {
            afterThree = restartOnce(afterThree);
        }
        Node w1 = node(plan(failedNow(afterThree)).state(), "web", "w1");
        assertEquals("exit 1; restart 4 in 80 s", w1.reason());
        assertEquals(3, w1.restartCount());
    }

    private CloudState restartOnce(CloudState s) {
        CloudState next = plan(failedNow(s)).state();
        clock.advance(Duration.between(clock.instant(), node(next, "web", "w1").restartAt()));
        Outcome o = plan(next);
        assertEquals(1, o.commands().size());
        return o.state();
    }

    @Test
    void tenMinutesOnlineForgetTheBackoffButNotTheCount() {
        CloudState s = launched(null);
        for (int i = 0; i < 3; i++) {
            s = restartOnce(s);
        }
        s = observed(s, clock.instant(), new NodeEvent.NodeOnline(id(), 1, clock.instant(), "w1", "web", "h1",
                "10.0.0.1", 30001));
        advance(599);
        assertEquals(40_000L, node(plan(s).state(), "web", "w1").backoffMs(), "kept before 10 minutes");
        advance(1);
        s = plan(s).state();
        assertNull(node(s, "web", "w1").backoffMs());
        assertEquals(3, node(s, "web", "w1").restartCount());
        assertEquals("exit 1; restart 4 in 10 s", node(plan(failedNow(s)).state(), "web", "w1").reason());
    }

    @Test
    void restartPolicyNeverLeavesTheNodeFailed() {
        CloudState s = plan(failedNow(launched("never"))).state();
        advance(60);
        Outcome o = plan(s);
        assertEquals(NodeState.FAILED, node(o.state(), "web", "w1").state());
        assertEquals("exit 1", node(o.state(), "web", "w1").reason());
        assertTrue(o.commands().isEmpty());
    }

    @Test
    void anElasticPodsNodesComeBackWhateverItsPolicy() {
        CloudState s = given(launched("never"), enable("web", 1, 3));
        s = plan(failedNow(s)).state();
        advance(10);
        assertEquals(NodeState.STARTING, node(plan(s).state(), "web", "w1").state());
    }

    @Test
    void aRestartWithoutAHostWithRoomWaitsAndSaysSo() {
        CloudState s = plan(failedNow(launched(null))).state();
        advance(10);
        CloudState noHost = s.withoutHost("h1");
        Outcome o = NodeRepairs.plan(noHost, clock.instant(), S, PLACEMENT);
        assertEquals("exit 1; restart 1 waits for a host with room", node(o.state(), "web", "w1").reason());
        assertTrue(o.commands().isEmpty());
        Outcome again = NodeRepairs.plan(o.state(), clock.instant(), S, PLACEMENT);
        assertTrue(again.changedPods().isEmpty(), "said once");
        advance(1);
        assertEquals(1, plan(o.state()).commands().size(), "launched once a host is heard from");
    }

    @Test
    void aNodeStartingPastTheStartTimeoutIsFailedStoppedAndRestarted() {
        CloudState s = launched("always");
        advance(119);
        assertTrue(plan(s).changedPods().isEmpty());
        advance(1);
        Outcome o = plan(s);
        Node w1 = node(o.state(), "web", "w1");
        assertEquals(NodeState.FAILED, w1.state());
        assertEquals("no word from host h1 within 120 s; restart 1 in 10 s", w1.reason());
        assertEquals(List.of("StopNode h1 w1"), o.commands().stream().map(c -> c.getClass().getSimpleName() + " "
                + c.hostId() + " " + ((NodeCommand.StopNode) c).node()).toList());
        // the host acts on the stop at last: the node stays FAILED, waiting for its restart
        CloudState stopped = observed(o.state(), clock.instant(), new NodeEvent.NodeStopped(id(), 1, clock.instant(),
                "w1", "web", "h1"));
        assertEquals(w1, node(stopped, "web", "w1"));
        advance(10);
        assertEquals(NodeState.STARTING, node(plan(stopped).state(), "web", "w1").state());
    }

    @Test
    void aNodeBeingRemovedThatNeverStartsIsForgottenWithAStop() {
        CloudState s = CloudFixtures.accepted(launched(null), CloudFixtures.removeNode("web", "w1")).state();
        assertTrue(node(s, "web", "w1").removing());
        advance(120);
        Outcome o = plan(s);
        assertTrue(o.state().requirePod("web").node("w1").isEmpty());
        assertEquals(1, o.commands().size());
        assertTrue(o.commands().get(0) instanceof NodeCommand.StopNode);
    }

    @Test
    void lateWordFromTheHostANodeLeftChangesNothing() {
        CloudState s = plan(failedNow(launched(null))).state();
        advance(10);
        s = plan(s.withHost(host("h2", 64, 65536, clock.instant()))).state();
        String host = node(s, "web", "w1").hostId();
        String other = host.equals("h1") ? "h2" : "h1";
        Node before = node(s, "web", "w1");
        CloudState late = observed(s, clock.instant(), failed("web", "w1", other, "exit 1"),
                new NodeEvent.NodeStopped(id(), 1, clock.instant(), "w1", "web", other));
        assertEquals(before, node(late, "web", "w1"));
    }

    @Test
    void settingsRefuseALongestWaitBelowTheFirst() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new RepairSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMinutes(10),
                        Duration.ofMinutes(2), Duration.ofMinutes(15), 20));
        assertTrue(e.getMessage().contains("shorter than the first"), e.getMessage());
    }

    @Test
    void waitsReadAsPeopleSayThem() {
        assertEquals("500 ms", NodeRepairs.words(Duration.ofMillis(500)));
        assertEquals("80 s", NodeRepairs.words(Duration.ofSeconds(80)));
        assertEquals("120 s", NodeRepairs.words(Duration.ofSeconds(120)));
        assertEquals("5 min", NodeRepairs.words(Duration.ofMinutes(5)));
    }

    @Test
    void unchangedPodsAreNotRepublished() {
        Outcome o = plan(CloudFixtures.podWithNodes(CloudState.empty(), "api", 2, 2));
        assertTrue(o.changedPods().isEmpty());
        assertTrue(o.commands().isEmpty());
    }
}
