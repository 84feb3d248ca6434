package cms.rm.model;

import static cms.rm.model.CloudFixtures.PLACEMENT;
import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.decide;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.node;
import static cms.rm.model.CloudFixtures.observed;
import static cms.rm.model.CloudFixtures.online;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.removeNode;
import static cms.rm.model.CloudFixtures.withHosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.model.Node;
import cms.core.model.NodeState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod no host could ever hold fails its node with the reason; drains that time out end in a stop. */
class LargePodsAndDrainTimeoutsTest {

    @Test
    void aPodLargerThanEveryHostFailsItsNodeWithTheReason() {
        CloudState s = withHosts(given(pod("big", 4.0, 100, 20), register("big", "b1")), host("h1", 2, 4096),
                host("h2", 3, 4096));
        Outcome o = decide(s, launch("big"));
        assertEquals(409, o.reply().status());
        Node b1 = node(o.state(), "big", "b1");
        assertEquals(NodeState.FAILED, b1.state());
        assertEquals("pod big is larger than any host: a node needs 4.00 CPU and 100 MB; the largest host, h2, has "
                + "3.00 CPU and 4096 MB", b1.reason());
        assertTrue(o.reply().message().contains(b1.reason()), o.reply().message());
        assertTrue(o.commands().isEmpty());
    }

    @Test
    void memoryLargerThanEveryHostFailsToo() {
        CloudState s = withHosts(given(pod("fat", 0.5, 8192, 20), register("fat", "f1")), host("h1", 2, 4096));
        assertEquals(NodeState.FAILED, node(decide(s, launch("fat")).state(), "fat", "f1").state());
    }

    @Test
    void aPodThatFitsAnEmptyHostButNotNowStaysNew() {
        CloudState s = withHosts(given(pod("web", 1.0, 3000, 20), register("web", "w1"), register("web", "w2")),
                host("h1", 2, 4096));
        s = decide(s, launch("web")).state();
        Outcome o = decide(s, launch("web"));
        assertEquals(409, o.reply().status());
        assertEquals(NodeState.NEW, node(o.state(), "web", "w2").state(), "full for now is not FAILED");
        assertTrue(PLACEMENT.neverFits(s, s.requirePod("web"), T0).isEmpty());
    }

    @Test
    void drainingNodesBeingRemovedAreOverdueAfterTheTimeout() {
        CloudState s = withHosts(given(pod("web"), register("web", "n1"), register("web", "n2")), host("h1", 4, 4096));
        s = decide(decide(s, launch("web")).state(), launch("web")).state();
        s = observed(s, T0, online("web", "n1", "127.0.0.1", 30001), online("web", "n2", "127.0.0.1", 30002));
        s = decide(s, removeNode("web", "n1")).state();
        Duration timeout = Duration.ofSeconds(30);
        assertEquals(List.of(), DrainTimeouts.overdue(s, T0.plusSeconds(29), timeout));
        assertEquals(List.of("n1"), DrainTimeouts.overdue(s, T0.plusSeconds(30), timeout).stream()
                .map(Node::name).toList(), "only the node being removed, once its time is up");
    }
}
