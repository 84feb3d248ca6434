package cms.core.model;

import static cms.core.model.NodeState.DRAINING;
import static cms.core.model.NodeState.FAILED;
import static cms.core.model.NodeState.NEW;
import static cms.core.model.NodeState.ONLINE;
import static cms.core.model.NodeState.STARTING;
import static cms.core.model.NodeState.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The node lifecycle: which transitions are allowed, and how a Node enforces them. */
class NodeStateTest {

    /** The allowed transitions, written out independently of {@link NodeState#next()}. */
    private static final Map<NodeState, Set<NodeState>> ALLOWED = Map.of(
            NEW, EnumSet.of(STARTING, STOPPED, FAILED),
            STARTING, EnumSet.of(ONLINE, DRAINING, STOPPED, FAILED),
            ONLINE, EnumSet.of(DRAINING, STOPPED, FAILED),
            DRAINING, EnumSet.of(STOPPED, FAILED),
            STOPPED, EnumSet.of(STARTING),
            FAILED, EnumSet.of(STARTING, STOPPED));

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(5);

    @Test
    void tableCoversEveryState() {
        assertEquals(EnumSet.allOf(NodeState.class), ALLOWED.keySet());
    }

    @ParameterizedTest
    @EnumSource(NodeState.class)
    void canMoveToMatchesTheTableForEveryTarget(NodeState from) {
        for (NodeState to : NodeState.values()) {
            assertEquals(ALLOWED.get(from).contains(to), from.canMoveTo(to), from + " -> " + to);
        }
        assertEquals(ALLOWED.get(from), from.next());
    }

    @ParameterizedTest
    @EnumSource(NodeState.class)
    void noStateMovesToItself(NodeState state) {
        assertTrue(!state.canMoveTo(state), state.name());
    }

    @Test
    void onlyStartingOnlineAndDrainingHoldCapacity() {
        Set<NodeState> holding = EnumSet.noneOf(NodeState.class);
        for (NodeState s : NodeState.values()) {
            if (s.holdsCapacity()) {
                holding.add(s);
            }
        }
        assertEquals(EnumSet.of(STARTING, ONLINE, DRAINING), holding);
    }

    @ParameterizedTest
    @EnumSource(NodeState.class)
    void nodeMovesAlongEveryAllowedTransition(NodeState from) {
        Node node = in(from);
        for (NodeState to : ALLOWED.get(from)) {
            Node moved = node.moveTo(to, "because", T1);
            assertEquals(to, moved.state());
            assertEquals("because", moved.reason());
            assertEquals(T1, moved.since());
            assertEquals(node.name(), moved.name());
            assertEquals(node.hostId(), moved.hostId());
        }
    }

    @ParameterizedTest
    @EnumSource(NodeState.class)
    void nodeRefusesEveryOtherTransition(NodeState from) {
        Node node = in(from);
        for (NodeState to : EnumSet.complementOf(EnumSet.copyOf(ALLOWED.get(from)))) {
            if (to == from) {
                continue;
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> node.moveTo(to, "x", T1));
            assertEquals("node web-1 cannot go from " + from + " to " + to, e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(NodeState.class)
    void movingToTheSameStateKeepsSinceAndTakesTheReason(NodeState state) {
        Node node = in(state);
        Node same = node.moveTo(state, "again", T1);
        assertSame(state, same.state());
        assertEquals(T0, same.since());
        assertEquals("again", same.reason());
    }

    @Test
    void registeredNodeIsNewAndPlacedNodeIsStarting() {
        Node node = Node.registered("web-1", "web", T0);
        assertEquals(NEW, node.state());
        assertEquals(T0, node.since());
        Node placed = node.placed("host-a", T1);
        assertEquals(STARTING, placed.state());
        assertEquals("host-a", placed.hostId());
        assertEquals(T1, placed.since());
    }

    @Test
    void removingFlagSurvivesTransitions() {
        Node node = in(ONLINE).markRemoving().moveTo(DRAINING, "scale in", T1);
        assertTrue(node.removing());
        assertEquals(DRAINING, node.state());
    }

    private static Node in(NodeState state) {
        return new Node("web-1", "web", state, "host-a", "10.0.0.5", 32770, false, null, T0);
    }
}
