package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.accepted;
import static cms.rm.model.CloudFixtures.drained;
import static cms.rm.model.CloudFixtures.enable;
import static cms.rm.model.CloudFixtures.failed;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.node;
import static cms.rm.model.CloudFixtures.observed;
import static cms.rm.model.CloudFixtures.online;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.refused;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.removeNode;
import static cms.rm.model.CloudFixtures.stopped;
import static cms.rm.model.CloudFixtures.withHosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeCommand;
import cms.core.model.Node;
import cms.core.model.NodeState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Registering nodes, and removing them in every state (NodeRemoval) through to the node being dropped. */
class NodeDecisionsTest {

    private static final Instant LATER = T0.plusSeconds(30);

    /** Pod web with node n1 launched on host h1 (STARTING). */
    private static CloudState starting() {
        return given(withHosts(given(pod("web"), register("web", "n1")), host("h1", 4, 4096)), launch("web"));
    }

    private static CloudState onlineNode() {
        return observed(starting(), T0, online("web", "n1", "10.0.0.7", 8080));
    }

    @Test
    void registeredNodeStartsNewInItsPod() {
        Outcome o = accepted(given(pod("web")), register("web", "n1"));
        assertEquals(201, o.reply().status());
        Node n = node(o.state(), "web", "n1");
        assertEquals(Node.registered("n1", "web", T0), n);
        assertEquals(NodeState.NEW, n.state());
        assertNull(n.hostId());
        assertFalse(n.removing());
        assertEquals(n, o.reply().body());
        assertEquals(List.of(o.state().requirePod("web")), o.changedPods());
        assertTrue(o.commands().isEmpty());
    }

    @Test
    void nodeNamesAreUniqueAcrossTheWholeCloud() {
        CloudState s = given(pod("web"), pod("api"), register("web", "n1"));
        Outcome o = refused(s, register("api", "n1"), 409, null);
        assertTrue(o.reply().message().contains("web"), "names the pod that has it: " + o.reply().message());
        refused(s, register("web", "n1"), 409, null);
    }

    @Test
    void badNodeNameIsRefusedOnName() {
        CloudState s = given(pod("web"));
        refused(s, register("web", "N1"), 400, "name");
        refused(s, register("web", ""), 400, "name");
        refused(s, register("web", null), 400, "name");
        refused(s, register("web", "n".repeat(41)), 400, "name");
    }

    @Test
    void registerInUnknownPodIsNotFound() {
        refused(given(pod("web")), register("ghost", "n1"), 404, "pod");
    }

    @Test
    void registerPastTheNodeLimitIsAConflict() {
        CloudState s = given(pod("web", 0.3, 100, 2), register("web", "n1"), register("web", "n2"));
        Outcome o = refused(s, register("web", "n3"), 409, null);
        assertTrue(o.reply().message().contains("limit"), o.reply().message());
    }

    @Test
    void stoppedNodesDoNotCountTowardsTheNodeLimit() {
        CloudState s = withHosts(given(pod("web", 0.3, 100, 1), register("web", "n1")), host("h1", 4, 4096));
        s = observed(given(s, launch("web")), T0, stopped("web", "n1"));
        Outcome o = accepted(s, register("web", "n2"));
        assertEquals(2, o.state().requirePod("web").nodes().size());
    }

    @Test
    void registerWhileElasticityIsEnabledIsAConflict() {
        CloudState s = given(pod("web"), enable("web", 1, 5));
        Outcome o = refused(s, register("web", "n1"), 409, null);
        assertTrue(o.reply().message().contains("elasticity"), o.reply().message());
    }

    @Test
    void removeNewNodeDropsItAtOnce() {
        CloudState s = given(pod("web"), register("web", "n1"), register("web", "n2"));
        Outcome o = accepted(s, removeNode("web", "n1"));
        assertEquals(200, o.reply().status());
        assertEquals(List.of("n2"), o.state().requirePod("web").nodes().stream().map(Node::name).toList());
        assertTrue(o.commands().isEmpty());
        assertEquals(List.of(o.state().requirePod("web")), o.changedPods());
    }

    @Test
    void removeStoppedOrFailedNodeDropsItAtOnce() {
        CloudState stoppedState = observed(starting(), T0, stopped("web", "n1"));
        Outcome a = accepted(stoppedState, removeNode("web", "n1"));
        assertEquals(200, a.reply().status());
        assertTrue(a.state().requirePod("web").nodes().isEmpty());
        assertTrue(a.commands().isEmpty());

        CloudState failedState = observed(starting(), T0, failed("web", "n1", "oom"));
        Outcome b = accepted(failedState, removeNode("web", "n1"));
        assertEquals(200, b.reply().status());
        assertTrue(b.state().requirePod("web").nodes().isEmpty());
        assertTrue(b.commands().isEmpty());
    }

    @Test
    void removeStartingNodeMarksItRemovingAndStopsIt() {
        Outcome o = accepted(starting(), removeNode("web", "n1"));
        assertEquals(202, o.reply().status());
        Node n = node(o.state(), "web", "n1");
        assertTrue(n.removing());
        assertEquals(NodeState.STARTING, n.state());
        assertEquals(1, o.commands().size());
        NodeCommand.StopNode stop = (NodeCommand.StopNode) o.commands().get(0);
        assertEquals("h1", stop.hostId());
        assertEquals("n1", stop.node());
        assertEquals("web", stop.pod());

        CloudState gone = observed(o.state(), LATER, stopped("web", "n1"));
        assertTrue(gone.requirePod("web").node("n1").isEmpty(), "dropped once observed STOPPED");
    }

    @Test
    void removeOnlineNodeDrainsFirstThenStopsThenDrops() {
        Outcome o = accepted(onlineNode(), removeNode("web", "n1"));
        assertEquals(202, o.reply().status());
        Node n = node(o.state(), "web", "n1");
        assertEquals(NodeState.DRAINING, n.state());
        assertTrue(n.removing());
        assertTrue(o.commands().isEmpty(), "no stop before the balancer has drained it");

        Outcome afterDrain = ObservedDecisions.apply(o.state(), drained("web", "n1"), LATER);
        assertEquals(1, afterDrain.commands().size());
        NodeCommand.StopNode stop = (NodeCommand.StopNode) afterDrain.commands().get(0);
        assertEquals("h1", stop.hostId());
        assertEquals("n1", stop.node());
        assertEquals(LATER, stop.at());
        assertEquals(NodeState.DRAINING, node(afterDrain.state(), "web", "n1").state());

        CloudState gone = observed(afterDrain.state(), LATER, stopped("web", "n1"));
        assertTrue(gone.requirePod("web").nodes().isEmpty());
    }

    @Test
    void removeDrainingNodeAgainIsAcceptedWithoutANewCommand() {
        CloudState draining = accepted(onlineNode(), removeNode("web", "n1")).state();
        Outcome again = accepted(draining, removeNode("web", "n1"));
        assertEquals(202, again.reply().status());
        assertTrue(again.commands().isEmpty());
        assertEquals(NodeState.DRAINING, node(again.state(), "web", "n1").state());
    }

    @Test
    void removeUnknownNodeOrPodIsNotFound() {
        CloudState s = given(pod("web"), pod("api"), register("web", "n1"));
        refused(s, removeNode("web", "n9"), 404, "node");
        refused(s, removeNode("api", "n1"), 404, "node");
        refused(s, removeNode("ghost", "n1"), 404, "pod");
    }

    @Test
    void removeWhileElasticityIsEnabledIsAConflict() {
        CloudState s = given(pod("web"), register("web", "n1"), enable("web", 1, 5));
        Outcome o = refused(s, removeNode("web", "n1"), 409, null);
        assertTrue(o.reply().message().contains("elasticity"), o.reply().message());
    }
}
