package cms.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pod's copy-on-write helpers over its nodes. */
class PodTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final Node a = Node.registered("web-1", "web", T0);
    private final Node b = Node.registered("web-2", "web", T0).placed("host-a", T0);
    private final Pod pod = new Pod("web", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false,
            ElasticityPolicy.disabled(), List.of(a, b), T0);

    @Test
    void nodesAreAnImmutableCopy() {
        List<Node> source = new ArrayList<>(List.of(a));
        Pod p = pod.withNodes(source);
        source.add(b);
        assertEquals(List.of(a), p.nodes());
        assertThrows(UnsupportedOperationException.class, () -> p.nodes().add(b));
    }

    @Test
    void findsANodeByName() {
        assertEquals(b, pod.node("web-2").orElseThrow());
        assertTrue(pod.node("web-9").isEmpty());
    }

    @Test
    void withNodeReplacesANodeOfTheSameName() {
        Node stopped = a.moveTo(NodeState.STOPPED, "removed", T0);
        Pod p = pod.withNode(stopped);
        assertEquals(2, p.nodes().size());
        assertEquals(stopped, p.node("web-1").orElseThrow());
        assertEquals(3, pod.withNode(Node.registered("web-3", "web", T0)).nodes().size());
    }

    @Test
    void updateNodeChangesOnlyThatNode() {
        Pod p = pod.updateNode("web-2", n -> n.moveTo(NodeState.ONLINE, "healthy", T0));
        assertEquals(NodeState.ONLINE, p.node("web-2").orElseThrow().state());
        assertEquals(a, p.node("web-1").orElseThrow());
        assertEquals(NodeState.STARTING, pod.node("web-2").orElseThrow().state(), "original unchanged");
    }

    @Test
    void withoutNodeRemovesIt() {
        assertEquals(List.of(b), pod.withoutNode("web-1").nodes());
        assertEquals(pod.nodes(), pod.withoutNode("web-9").nodes());
    }

    @Test
    void countsByStateAndLiveNodes() {
        Pod p = pod.withNode(Node.registered("web-3", "web", T0).moveTo(NodeState.STOPPED, "gone", T0));
        assertEquals(1, p.count(NodeState.NEW));
        assertEquals(1, p.count(NodeState.STARTING));
        assertEquals(1, p.count(NodeState.STOPPED));
        assertEquals(0, p.count(NodeState.ONLINE));
        assertEquals(2, p.liveNodes());
    }

    @Test
    void pausedAndElasticityCopiesKeepTheRest() {
        Pod paused = pod.withPaused(true);
        assertTrue(paused.paused());
        assertEquals(pod.nodes(), paused.nodes());
        Pod elastic = pod.withElasticity(pod.elasticity().enable(1, 4));
        assertEquals(new ElasticityPolicy(true, 1, 4, 0.2, 0.8), elastic.elasticity());
        assertEquals(pod.name(), elastic.name());
    }
}
