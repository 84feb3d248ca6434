package cms.rm.model;

import static cms.rm.model.CloudFixtures.PLACEMENT;
import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.enable;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.node;
import static cms.rm.model.CloudFixtures.observed;
import static cms.rm.model.CloudFixtures.online;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.withHosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.event.ScalingDecision;
import cms.core.model.Node;
import cms.core.model.NodeState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Elasticity decisions applied by the resource manager: grow, shrink newest first, bounds, refusals. */
class ScalingDecisionsTest {

    private final ScalingDecisions scaling = new ScalingDecisions(PLACEMENT);

    private static ScalingDecision to(String pod, int from, int to) {
        return new ScalingDecision(id(), 1, T0, pod, "cpu", 0.9, from, to, "test");
    }

    private CloudState elastic(int min, int max) {
        return given(withHosts(given(pod("web")), host("h1", 8, 8192)), enable("web", min, max));
    }

    private static List<String> active(CloudState s) {
        return s.requirePod("web").nodes().stream().filter(n -> !n.removing()).map(Node::name).toList();
    }

    @Test
    void growRegistersAndLaunchesNamedNodes() {
        Outcome o = scaling.apply(elastic(1, 5), to("web", 0, 2), T0);
        assertEquals(List.of("web-1", "web-2"), active(o.state()));
        assertEquals(NodeState.STARTING, node(o.state(), "web", "web-1").state());
        assertEquals(2, o.commands().size());
        assertTrue(o.commands().stream().allMatch(c -> c instanceof NodeCommand.LaunchNode l && l.hostId().equals("h1")));
        assertEquals(List.of(o.state().requirePod("web")), o.changedPods());
    }

    @Test
    void theDecisionIsHeldInsideTheBoundsHereToo() {
        assertEquals(5, active(scaling.apply(elastic(1, 5), to("web", 0, 9), T0).state()).size());
        CloudState three = scaling.apply(elastic(1, 5), to("web", 0, 3), T0).state();
        assertEquals(1, active(scaling.apply(three, to("web", 3, 0), T0).state()).size());
    }

    @Test
    void shrinkRemovesTheNewestFirstAndDrainsOnlineNodes() {
        CloudState s = scaling.apply(elastic(1, 5), to("web", 0, 3), T0).state();
        s = observed(s, T0.plusSeconds(1), online("web", "web-1", "127.0.0.1", 30001));
        s = observed(s, T0.plusSeconds(2), online("web", "web-2", "127.0.0.1", 30002));
        // web-3 is still STARTING: it goes first, with a stop command
        Outcome o = scaling.apply(s, to("web", 3, 2), T0.plusSeconds(3));
        assertTrue(node(o.state(), "web", "web-3").removing());
        assertEquals(1, o.commands().size());
        // then the newest ONLINE one, web-2, is drained (no command: the balancer drains it first)
        Outcome o2 = scaling.apply(o.state(), to("web", 2, 1), T0.plusSeconds(4));
        assertEquals(NodeState.DRAINING, node(o2.state(), "web", "web-2").state());
        assertEquals(List.of("web-1"), active(o2.state()));
        assertTrue(o2.commands().isEmpty());
    }

    @Test
    void aFailedNodeWaitingForItsRestartCountsTowardTheSizeAndGoesFirstOnScaleIn() {
        CloudState s = scaling.apply(elastic(1, 5), to("web", 0, 2), T0).state();
        s = observed(s, T0.plusSeconds(1), online("web", "web-1", "127.0.0.1", 30001));
        s = observed(s, T0.plusSeconds(1), new NodeEvent.NodeFailed(id(), 1, T0, "web-2", "web", "h1", "exit 1", 1));
        assertEquals(List.of("web-1", "web-2"), s.requirePod("web").sizedNodes().stream().map(Node::name).toList());
        Outcome same = scaling.apply(s, to("web", 1, 2), T0.plusSeconds(2));
        assertTrue(same.commands().isEmpty() && same.changedPods().isEmpty(), "no new node for a failed one");
        Outcome in = scaling.apply(s, to("web", 2, 1), T0.plusSeconds(2));
        assertEquals(List.of("web-1"), active(in.state()), "the failed node went first");
        assertEquals(NodeState.ONLINE, node(in.state(), "web", "web-1").state());
    }

    @Test
    void anAlreadyMetSizeChangesNothing() {
        CloudState s = scaling.apply(elastic(1, 5), to("web", 0, 2), T0).state();
        Outcome o = scaling.apply(s, to("web", 1, 2), T0);
        assertEquals(s, o.state());
        assertTrue(o.commands().isEmpty() && o.changedPods().isEmpty());
    }

    @Test
    void decisionsForUnknownPodsOrPodsWithoutElasticityAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> scaling.apply(elastic(1, 5), to("ghost", 0, 1), T0));
        CloudState off = given(withHosts(given(pod("web")), host("h1", 8, 8192)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scaling.apply(off, to("web", 0, 1), T0));
        assertTrue(e.getMessage().contains("elasticity is off"), e.getMessage());
    }

    @Test
    void withoutRoomNewNodesWaitAsNew() {
        CloudState s = given(given(pod("web")), enable("web", 1, 5));
        Outcome o = scaling.apply(s, to("web", 0, 1), T0);
        assertEquals(NodeState.NEW, node(o.state(), "web", "web-1").state());
        assertTrue(o.commands().isEmpty(), "no host known: nothing to launch on");
        assertTrue(scaling.launchWaiting(o.state(), T0).commands().isEmpty(), "still no host");
        Outcome later = scaling.launchWaiting(withHosts(o.state(), host("h1", 8, 8192)), T0);
        assertEquals(NodeState.STARTING, node(later.state(), "web", "web-1").state(), "launched once a host has room");
        assertEquals(1, later.commands().size());
        assertEquals(List.of(later.state().requirePod("web")), later.changedPods());
    }
}
