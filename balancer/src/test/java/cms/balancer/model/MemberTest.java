package cms.balancer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which nodes of a pod the balancer sees, and whether they should take requests. */
class MemberTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private static Node node(String name, NodeState state, String address, Integer port, boolean removing) {
        return new Node(name, "web", state, "host-1", address, port, removing, null, T0);
    }

    private static Pod pod(boolean paused, Node... nodes) {
        return new Pod("web", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, paused,
                ElasticityPolicy.disabled(), List.of(nodes), T0, 18080);
    }

    @Test
    void onlineNodeWithAddressServes() {
        Map<String, Member> members = Member.of(pod(false, node("web-1", NodeState.ONLINE, "10.0.0.5", 9001, false)));
        assertEquals(Map.of("web-1", new Member("web-1", "10.0.0.5", 9001, true, false)), members);
        assertEquals("10.0.0.5:9001", members.get("web-1").endpoint());
    }

    @Test
    void drainingNodeIsAMemberThatDoesNotServe() {
        Member m = Member.of(pod(false, node("web-1", NodeState.DRAINING, "10.0.0.5", 9001, false))).get("web-1");
        assertEquals(new Member("web-1", "10.0.0.5", 9001, false, false), m);
    }

    @ParameterizedTest
    @EnumSource(value = NodeState.class, names = {"NEW", "STARTING", "STOPPED", "FAILED"})
    void nodesNeitherOnlineNorDrainingAreNoMembers(NodeState state) {
        assertEquals(Map.of(), Member.of(pod(false, node("web-1", state, "10.0.0.5", 9001, false))));
    }

    @Test
    void aNodeWhoseAddressIsNotOneIsNoMember() {
        Pod p = pod(false, node("spliced", NodeState.ONLINE, "10.0.0.5; shutdown sessions", 9001, false),
                node("url", NodeState.ONLINE, "http://10.0.0.5", 9001, false),
                node("port", NodeState.ONLINE, "10.0.0.5", 0, false),
                node("ok", NodeState.ONLINE, "10.0.0.5", 9001, false));
        assertEquals(java.util.Set.of("ok"), Member.of(p).keySet());
    }

    @Test
    void nodeWithoutAddressOrPortIsNoMember() {
        Pod p = pod(false, node("no-address", NodeState.ONLINE, null, 9001, false),
                node("no-port", NodeState.ONLINE, "10.0.0.5", null, false),
                node("draining-no-port", NodeState.DRAINING, "10.0.0.5", null, true));
        assertEquals(Map.of(), Member.of(p));
    }

    @Test
    void pausedPodKeepsItsNodesAsMembersThatDoNotServe() {
        Map<String, Member> members = Member.of(pod(true, node("web-1", NodeState.ONLINE, "10.0.0.5", 9001, false),
                node("web-2", NodeState.DRAINING, "10.0.0.6", 9002, true)));
        assertEquals(new Member("web-1", "10.0.0.5", 9001, false, false), members.get("web-1"));
        assertEquals(new Member("web-2", "10.0.0.6", 9002, false, true), members.get("web-2"));
    }

    @Test
    void removingIsCopiedFromTheNode() {
        Map<String, Member> members = Member.of(pod(false, node("web-1", NodeState.DRAINING, "10.0.0.5", 9001, true),
                node("web-2", NodeState.ONLINE, "10.0.0.6", 9002, true),
                node("web-3", NodeState.ONLINE, "10.0.0.7", 9003, false)));
        assertTrue(members.get("web-1").removing());
        assertFalse(members.get("web-1").serve());
        assertTrue(members.get("web-2").removing());
        assertTrue(members.get("web-2").serve(), "serve follows the state only: ONLINE and not paused");
        assertFalse(members.get("web-3").removing());
    }

    @Test
    void keyedByNodeNameInTheOrderOfThePod() {
        Map<String, Member> members = Member.of(pod(false, node("web-3", NodeState.ONLINE, "10.0.0.7", 9003, false),
                node("web-1", NodeState.STARTING, "10.0.0.5", 9001, false),
                node("web-2", NodeState.DRAINING, "10.0.0.6", 9002, false)));
        assertEquals(List.of("web-3", "web-2"), List.copyOf(members.keySet()));
        members.forEach((name, m) -> assertEquals(name, m.node()));
    }

    @Test
    void podWithoutFrontendPortWorksTheSame() {
        Pod old = new Pod("web", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false,
                ElasticityPolicy.disabled(), List.of(node("web-1", NodeState.ONLINE, "10.0.0.5", 9001, false)), T0);
        assertEquals(Map.of("web-1", new Member("web-1", "10.0.0.5", 9001, true, false)), Member.of(old));
    }

    @Test
    void podWithoutNodesHasNoMembers() {
        assertTrue(Member.of(pod(false)).isEmpty());
    }
}
