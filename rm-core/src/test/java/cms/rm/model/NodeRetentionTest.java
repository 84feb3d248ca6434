package cms.rm.model;

import static cms.rm.model.CloudFixtures.PLACEMENT;
import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nodes that will not run again (STOPPED, or FAILED under restart policy {@code never}) stay listed for
 * inspection for 15 minutes, at most 20 per pod, newest kept; nodes that still run or will restart are
 * never forgotten.
 */
class NodeRetentionTest {

    private final MutableClock clock = new MutableClock(T0);

    private static CloudState pod(String restartPolicy, List<Node> nodes) {
        CloudState s = given(new AdminRequest.RegisterPod(id(), 1, T0, "web", null, null, null, null, null, null, null,
                null, null, restartPolicy));
        return s.withPod(s.requirePod("web").withNodes(nodes));
    }

    private static Node node(String name, NodeState state, int second) {
        return new Node(name, "web", state, "h1", null, null, false, "exit 1", T0.plusSeconds(second));
    }

    private List<String> namesAfter(CloudState s) {
        return NodeRepairs.plan(s, clock.instant(), RepairSettings.DEFAULTS, PLACEMENT).state().requirePod("web")
                .nodes().stream().map(Node::name).toList();
    }

    @Test
    void atMostTwentyOfThemAreKeptTheNewest() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            nodes.add(node("f" + i, i % 2 == 0 ? NodeState.FAILED : NodeState.STOPPED, i));
        }
        nodes.add(node("up", NodeState.ONLINE, 0));
        clock.advance(Duration.ofSeconds(30));
        List<String> kept = namesAfter(pod("never", nodes));
        assertEquals(21, kept.size(), kept::toString);
        assertTrue(kept.contains("up"));
        for (int i = 0; i < 10; i++) {
            assertTrue(!kept.contains("f" + i), "the oldest go first: " + kept);
        }
    }

    @Test
    void theyAreForgottenFifteenMinutesAfterTheyEnded() {
        CloudState s = pod("never", List.of(node("f1", NodeState.FAILED, 0), node("s1", NodeState.STOPPED, 60),
                node("up", NodeState.ONLINE, 0)));
        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertEquals(List.of("f1", "s1", "up"), namesAfter(s));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("s1", "up"), namesAfter(s));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of("up"), namesAfter(s));
    }

    @Test
    void aFailedNodeThatWillRestartIsKept() {
        CloudState s = pod("always", List.of(node("f1", NodeState.FAILED, 0)));
        clock.advance(Duration.ofHours(1));
        Pod after = NodeRepairs.plan(s, clock.instant(), RepairSettings.DEFAULTS, PLACEMENT).state().requirePod("web");
        assertEquals(List.of("f1"), after.nodes().stream().map(Node::name).toList());
        assertTrue(after.restarts(after.nodes().get(0)));
    }

    @Test
    void noRetentionForgetsThemAtOnce() {
        CloudState s = pod("never", List.of(node("f1", NodeState.FAILED, 0)));
        RepairSettings none = new RepairSettings(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofMinutes(2), Duration.ZERO, 0);
        assertEquals(List.of(), NodeRepairs.plan(s, T0, none, PLACEMENT).state().requirePod("web").nodes());
    }
}
