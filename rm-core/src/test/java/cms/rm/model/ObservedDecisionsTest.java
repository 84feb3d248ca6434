package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.drained;
import static cms.rm.model.CloudFixtures.failed;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.joined;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.node;
import static cms.rm.model.CloudFixtures.observed;
import static cms.rm.model.CloudFixtures.online;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.removeNode;
import static cms.rm.model.CloudFixtures.starting;
import static cms.rm.model.CloudFixtures.stopped;
import static cms.rm.model.CloudFixtures.withHosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeEvent;
import cms.core.model.Host;
import cms.core.model.Node;
import cms.core.model.NodeState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Node lifecycle facts and host membership applied to the state. */
class ObservedDecisionsTest {

    private static final Instant T1 = T0.plusSeconds(10);
    private static final Instant T2 = T0.plusSeconds(20);

    /** Pod web with n1 STARTING on h1 and n2 NEW. */
    private static CloudState launched() {
        return given(withHosts(given(pod("web"), register("web", "n1"), register("web", "n2")),
                host("h1", 4, 4096)), launch("web"));
    }

    @Test
    void onlineRecordsAddressAndPortAndKeepsTheNodesPlace() {
        Outcome o = ObservedDecisions.apply(launched(), online("web", "n1", "10.0.0.7", 32768), T1);
        Node n = node(o.state(), "web", "n1");
        assertEquals(NodeState.ONLINE, n.state());
        assertEquals("10.0.0.7", n.address());
        assertEquals(32768, n.port());
        assertEquals("h1", n.hostId());
        assertEquals(T1, n.since());
        assertEquals(List.of("n1", "n2"), o.state().requirePod("web").nodes().stream().map(Node::name).toList());
        assertEquals(List.of(o.state().requirePod("web")), o.changedPods());
        assertTrue(o.commands().isEmpty());
        assertNull(o.reply());
    }

    @Test
    void startingIsIdempotentAndKeepsSince() {
        CloudState s = launched();
        Outcome o = ObservedDecisions.apply(s, starting("web", "n1"), T1);
        assertEquals(NodeState.STARTING, node(o.state(), "web", "n1").state());
        assertEquals(T0, node(o.state(), "web", "n1").since(), "no transition, no new since");
    }

    @Test
    void theHostADaemonReportsIsRecordedAndStopsGoThere() {
        CloudState s = given(pod("web"), register("web", "n1"));
        NodeEvent.NodeStarting onH7 = new NodeEvent.NodeStarting(id(), 1, T1, "n1", "web", "h7");
        // a NEW node cannot jump to STARTING by event; a stopped one restarted by its daemon can
        s = observed(observed(given(withHosts(s, host("h1", 4, 4096)), launch("web")), T1, stopped("web", "n1")),
                T1, onH7);
        assertEquals("h7", node(s, "web", "n1").hostId());
        Outcome removal = new AdminDecisions(CloudFixtures.PLACEMENT).decide(s, removeNode("web", "n1"), T2);
        assertEquals(1, removal.commands().size());
        assertEquals("h7", removal.commands().get(0).hostId());
    }

    @Test
    void aStoppedNodeMayStartAgain() {
        CloudState s = observed(launched(), T1, stopped("web", "n1"));
        Node restarted = node(observed(s, T2, starting("web", "n1")), "web", "n1");
        assertEquals(NodeState.STARTING, restarted.state());
        assertEquals(T2, restarted.since());
    }

    @Test
    void failedKeepsTheReason() {
        CloudState s = observed(launched(), T1, online("web", "n1", "10.0.0.7", 8080));
        Node n = node(observed(s, T2, failed("web", "n1", "exit 137: out of memory")), "web", "n1");
        assertEquals(NodeState.FAILED, n.state());
        assertEquals("exit 137: out of memory", n.reason());
        assertEquals(T2, n.since());
        assertFalse(n.state().holdsCapacity());
    }

    @Test
    void stoppedOnANodeThatIsNotRemovingKeepsItListed() {
        CloudState s = observed(launched(), T1, online("web", "n1", "10.0.0.7", 8080), stopped("web", "n1"));
        Node n = node(s, "web", "n1");
        assertEquals(NodeState.STOPPED, n.state());
        assertEquals(T1, n.since());
    }

    @Test
    void stoppedOrFailedOnARemovingNodeDropsIt() {
        CloudState removing = given(launched(), removeNode("web", "n1"));
        assertTrue(node(removing, "web", "n1").removing());
        Outcome stop = ObservedDecisions.apply(removing, stopped("web", "n1"), T1);
        assertTrue(stop.state().requirePod("web").node("n1").isEmpty());
        assertEquals(List.of(stop.state().requirePod("web")), stop.changedPods());
        Outcome fail = ObservedDecisions.apply(removing, failed("web", "n1", "killed"), T1);
        assertTrue(fail.state().requirePod("web").node("n1").isEmpty());
        assertTrue(fail.state().requirePod("web").node("n2").isPresent());
    }

    @Test
    void onlineForANodeMarkedRemovingGoesToDraining() {
        CloudState removing = given(launched(), removeNode("web", "n1"));
        Node n = node(observed(removing, T1, online("web", "n1", "10.0.0.7", 8080)), "web", "n1");
        assertEquals(NodeState.DRAINING, n.state());
        assertTrue(n.removing());
        assertEquals("10.0.0.7", n.address());
    }

    @Test
    void drainedOnADrainingNodeStopsItWithoutChangingState() {
        CloudState draining = given(observed(launched(), T1, online("web", "n1", "10.0.0.7", 8080)),
                removeNode("web", "n1"));
        Outcome o = ObservedDecisions.apply(draining, drained("web", "n1"), T2);
        assertEquals(draining, o.state());
        assertTrue(o.changedPods().isEmpty());
        assertEquals(1, o.commands().size());
        assertEquals("h1", o.commands().get(0).hostId());
        assertEquals("n1", o.commands().get(0).node());
    }

    @Test
    void drainedWhenNotDrainingIsRefused() {
        CloudState s = launched();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObservedDecisions.apply(s, drained("web", "n1"), T1));
        assertTrue(e.getMessage().contains("STARTING"), e.getMessage());
        CloudState on = observed(s, T1, online("web", "n1", "10.0.0.7", 8080));
        assertThrows(IllegalArgumentException.class, () -> ObservedDecisions.apply(on, drained("web", "n1"), T2));
    }

    @Test
    void eventForUnknownPodOrNodeIsRefused() {
        CloudState s = launched();
        IllegalArgumentException pod = assertThrows(IllegalArgumentException.class,
                () -> ObservedDecisions.apply(s, online("ghost", "n1", "10.0.0.7", 8080), T1));
        assertTrue(pod.getMessage().contains("ghost"), pod.getMessage());
        IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
                () -> ObservedDecisions.apply(s, stopped("web", "n9"), T1));
        assertTrue(node.getMessage().contains("n9"), node.getMessage());
    }

    @Test
    void transitionsTheStateMachineRefusesAreIllegalArguments() {
        CloudState s = launched();
        assertThrows(IllegalArgumentException.class,
                () -> ObservedDecisions.apply(s, online("web", "n2", "10.0.0.8", 8080), T1), "NEW to ONLINE");
        assertThrows(IllegalArgumentException.class,
                () -> ObservedDecisions.apply(s, failed("web", "n2", "x"), T1), "NEW to FAILED");
        CloudState stoppedState = observed(s, T1, stopped("web", "n1"));
        assertThrows(IllegalArgumentException.class,
                () -> ObservedDecisions.apply(stoppedState, online("web", "n1", "10.0.0.7", 8080), T2),
                "STOPPED to ONLINE");
        assertThrows(IllegalArgumentException.class,
                () -> ObservedDecisions.apply(stoppedState, failed("web", "n1", "x"), T2), "STOPPED to FAILED");
    }

    @Test
    void nodeEventWithoutPodIsAnIllegalArgument() {
        CloudState s = launched();
        NodeEvent noPod = new NodeEvent.NodeStopped(id(), 1, T1, "n1", null, "h1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObservedDecisions.apply(s, noPod, T1));
        assertTrue(e.getMessage().contains("n1"), e.getMessage());
    }

    @Test
    void aStartOrOnlineReportedByAnotherHostThanTheOneARunningNodeIsOnChangesNothing() {
        CloudState s = launched();
        Node before = s.requirePod("web").node("n1").orElseThrow();
        assertEquals("h1", before.hostId());
        Outcome late = ObservedDecisions.apply(s, new NodeEvent.NodeOnline(id(), 1, T1, "n1", "web", "h2", "10.0.0.2",
                30001), T1);
        assertSame(s, late.state());
        assertTrue(late.changedPods().isEmpty());
        Outcome lateStart = ObservedDecisions.apply(s, new NodeEvent.NodeStarting(id(), 1, T1, "n1", "web", "h2"), T1);
        assertSame(s, lateStart.state());
    }

    @Test
    void anOnlineEventWithAnAddressOrPortThatIsNotOneIsRefusedBeforeItReachesTheBalancer() {
        CloudState s = launched();
        for (String bad : java.util.List.of("10.0.0.2; shutdown sessions server web/s1", "10.0.0.2\nset server x",
                "http://10.0.0.2", "0.0.0.0", "", "10.0.0.300", "a".repeat(300))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObservedDecisions.apply(s,
                    new NodeEvent.NodeOnline(id(), 1, T1, "n1", "web", "h1", bad, 30001), T1), bad);
            assertTrue(e.getMessage().startsWith("node n1 reported ONLINE with a bad address: address: "), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ObservedDecisions.apply(s,
                new NodeEvent.NodeOnline(id(), 1, T1, "n1", "web", "h1", "10.0.0.2", 70000), T1));
        assertEquals("10.0.0.2", ObservedDecisions.apply(s, new NodeEvent.NodeOnline(id(), 1, T1, "n1", "web", "h1",
                "10.0.0.2", 30001), T1).state().requirePod("web").node("n1").orElseThrow().address());
    }
}
