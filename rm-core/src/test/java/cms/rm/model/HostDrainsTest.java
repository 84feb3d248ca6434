package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.model.Host;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Scheduling;
import cms.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Cordon, uncordon and drain on a fake clock, driven as the resource manager drives them: admin requests, node
 * events as daemons and the balancer report them, and once a second the drain planner. A drained host's nodes
 * are replaced on the others first; each old node is drained only once its replacement has been ONLINE for the
 * settle time, and is then stopped the usual way; what has no room waits, and moves once room appears.
 */
class HostDrainsTest {

    private static final Duration SETTLE = Duration.ofSeconds(2);
    /** Hosts stay live for the whole test: liveness is HostLivenessTest's subject, not this one's. */
    private static final Placement PLACEMENT = new Placement(Duration.ofHours(1), 1.0);
    private static final AdminDecisions DECISIONS = new AdminDecisions(PLACEMENT, 5000, cms.core.model.ImageAllowList.all(), SETTLE);

    private final MutableClock clock = new MutableClock(T0);
    private final List<NodeCommand> commands = new ArrayList<>();
    private CloudState state = CloudState.empty();

    private Outcome.Reply ask(AdminRequest request) {
        Outcome o = DECISIONS.decide(state, request, clock.instant());
        state = o.state();
        commands.addAll(o.commands());
        return o.reply();
    }

    private Outcome.Reply ok(AdminRequest request) {
        Outcome.Reply r = ask(request);
        assertTrue(r.status() < 300, () -> request + " -> " + r);
        return r;
    }

    /** One second, then the resource manager's drain turn. */
    private void second() {
        clock.advance(Duration.ofSeconds(1));
        Outcome o = HostDrains.plan(state, clock.instant(), PLACEMENT, SETTLE).outcome();
        state = o.state();
        commands.addAll(o.commands());
    }

    private void hosts(double cpus, String... ids) {
        for (String h : ids) {
            state = state.withHost(new Host(h, "10.0.0." + h.charAt(1), cpus, 8192, T0));
        }
    }

    /** Pod web (0.3 CPU a node) with {@code count} nodes w1… launched where placement puts them, and ONLINE. */
    private void webNodes(int count) {
        ok(new AdminRequest.RegisterPod(id(), 1, T0, "web", null, null, null, null, null, 0.3, 100, 20));
        for (int i = 1; i <= count; i++) {
            launch("w" + i);
        }
        online();
        commands.clear();
    }

    private Node launch(String name) {
        ok(new AdminRequest.RegisterNode(id(), 1, T0, "web", name));
        ok(new AdminRequest.Launch(id(), 1, T0, "web"));
        return node(name);
    }

    /** Every STARTING node reported ONLINE by its host. */
    private void online() {
        for (Node n : state.requirePod("web").nodes()) {
            if (n.state() == NodeState.STARTING) {
                observe(new NodeEvent.NodeOnline(id(), 1, clock.instant(), n.name(), "web", n.hostId(), "10.0.0.9",
                        30000));
            }
        }
    }

    private void observe(NodeEvent e) {
        Outcome o = ObservedDecisions.apply(state, e, clock.instant());
        state = o.state();
        commands.addAll(o.commands());
    }

    private Node node(String name) {
        return state.requirePod("web").node(name).orElseThrow(() -> new AssertionError("no node " + name));
    }

    private Map<String, List<String>> byHost(NodeState s) {
        Map<String, List<String>> out = new TreeMap<>();
        state.requirePod("web").nodes().stream().filter(n -> n.state() == s)
                .forEach(n -> out.computeIfAbsent(n.hostId(), h -> new ArrayList<>()).add(n.name()));
        return out;
    }

    private String scheduling(String host) {
        return Scheduling.of(host, state.cordons().get(host), state.pods().values()).word();
    }

    private List<NodeCommand.LaunchNode> launches() {
        return commands.stream().filter(NodeCommand.LaunchNode.class::isInstance).map(NodeCommand.LaunchNode.class::cast)
                .toList();
    }

    private List<NodeCommand.StopNode> stops() {
        return commands.stream().filter(NodeCommand.StopNode.class::isInstance).map(NodeCommand.StopNode.class::cast)
                .toList();
    }

    @Test
    void aCordonedHostGetsNoNewNodesAndKeepsItsOwnUntilUncordoned() {
        hosts(4, "h1", "h2", "h3");
        webNodes(6);
        assertEquals(Map.of("h1", 2, "h2", 2, "h3", 2), count(byHost(NodeState.ONLINE)));

        Outcome o = DECISIONS.decide(state, new AdminRequest.CordonHost(id(), 1, T0, "h2"), clock.instant());
        assertTrue(o.cloudChanged(), "a cordon is written with the cloud's record");
        assertTrue(o.commands().isEmpty() && o.changedPods().isEmpty(), "a cordon moves nothing");
        assertEquals("host h2 cordoned: no new nodes go there; its 2 node(s) stay", o.reply().message());
        state = o.state();
        assertEquals("cordoned", scheduling("h2"));
        for (int i = 7; i <= 9; i++) {
            assertFalse("h2".equals(launch("w" + i).hostId()), "a new node goes to another host");
        }
        assertEquals(2, byHost(NodeState.ONLINE).get("h2").size(), "its running nodes stay");
        second();
        assertEquals(2, byHost(NodeState.ONLINE).get("h2").size(), "a cordon is not a drain");
        assertEquals(200, ask(new AdminRequest.CordonHost(id(), 1, T0, "h2")).status(), "again: already cordoned");

        Outcome back = DECISIONS.decide(state, new AdminRequest.UncordonHost(id(), 1, T0, "h2"), clock.instant());
        assertTrue(back.cloudChanged());
        state = back.state();
        assertEquals("ok", scheduling("h2"));
        assertEquals("h2", launch("w10").hostId(), "the host with the fewest nodes of the pod gets the next again");
    }

    @Test
    void aDrainReplacesEachNodeElsewhereFirstAndDrainsTheOldOneOnlyOnceItsReplacementServes() {
        hosts(4, "h1", "h2", "h3");
        webNodes(6);
        List<String> old = byHost(NodeState.ONLINE).get("h2");

        Outcome.Reply reply = ok(new AdminRequest.DrainHost(id(), 1, T0, "h2"));
        assertEquals(202, reply.status());
        HostDecisions.DrainReply body = (HostDecisions.DrainReply) reply.body();
        assertEquals(2, body.moving().size(), reply.message());
        assertEquals(0, body.waiting());
        assertTrue(reply.message().startsWith("host h2 cordoned and draining: 2 node(s) moving ("), reply.message());
        assertEquals(2, launches().size());
        for (NodeCommand.LaunchNode l : launches()) {
            assertFalse(l.hostId().equals("h2"), l.toString());
            Node r = node(l.node());
            assertEquals(NodeState.STARTING, r.state());
            assertTrue(old.contains(r.replaces()), r.toString());
        }
        assertEquals("draining (2 left)", scheduling("h2"));

        second();
        assertEquals(old, byHost(NodeState.ONLINE).get("h2"), "old nodes serve while replacements start");
        assertEquals(2, launches().size(), "no second replacement while the first one starts");
        online();
        second();
        assertEquals(old, byHost(NodeState.ONLINE).get("h2"), "a replacement just ONLINE is not yet in rotation");
        second();
        assertFalse(byHost(NodeState.ONLINE).containsKey("h2"), "replacements settled: old nodes drained");
        for (String name : old) {
            Node n = node(name);
            assertEquals(NodeState.DRAINING, n.state());
            assertTrue(n.removing());
            assertTrue(n.reason().startsWith("moved off host h2 (drain): replaced by web-"), n.reason());
        }
        state.requirePod("web").nodes().forEach(n -> assertNull(n.replaces(), "links cleared: " + n));
        assertEquals("draining (2 left)", scheduling("h2"));
        assertEquals(8, state.requirePod("web").nodes().size());

        for (String name : old) {
            observe(new NodeEvent.NodeDrained(id(), 1, clock.instant(), name, "web")); // the balancer
        }
        assertEquals(old, stops().stream().filter(s -> s.hostId().equals("h2")).map(NodeCommand.StopNode::node)
                .sorted().toList());
        for (String name : old) {
            observe(new NodeEvent.NodeStopped(id(), 1, clock.instant(), name, "web", "h2"));
        }
        assertEquals("drained", scheduling("h2"));
        assertEquals(Map.of("h1", 3, "h3", 3), count(byHost(NodeState.ONLINE)));
        second();
        assertEquals(2, launches().size(), "nothing more to do");

        HostDecisions.HostRow row = rows().get("h2");
        assertEquals("drained", row.scheduling());
        assertTrue(row.cordoned());
        assertFalse(row.draining());
        assertEquals(0, row.nodes());

        ok(new AdminRequest.UncordonHost(id(), 1, T0, "h2"));
        assertEquals("h2", launch("w7").hostId(), "an uncordoned host gets new nodes again");
    }

    @Test
    void aDrainWithoutRoomSaysWhatWaitsAndMovesItOnceRoomAppears() {
        hosts(0.6, "h1", "h2"); // room for two nodes each, and four nodes: every host full
        webNodes(4);
        Outcome.Reply reply = ok(new AdminRequest.DrainHost(id(), 1, T0, "h2"));
        assertEquals(0, launches().size(), "no host has room");
        assertEquals(2, ((HostDecisions.DrainReply) reply.body()).waiting());
        assertTrue(reply.message().contains("0 node(s) moving; waiting for room: 2 nodes"), reply.message());
        assertEquals("draining (2 left, waiting for room: 2 nodes)", scheduling("h2"));
        assertEquals(2, rows().get("h2").waitingForRoom());
        second();
        second();
        assertEquals(0, launches().size());
        assertEquals(2, byHost(NodeState.ONLINE).get("h2").size(), "what cannot move stays and serves");

        hosts(0.3, "h3"); // room for one
        second();
        assertEquals(1, launches().size());
        assertEquals("h3", launches().get(0).hostId());
        assertEquals("draining (2 left, waiting for room: 1 nodes)", scheduling("h2"));
        hosts(0.6, "h4");
        second();
        assertEquals(2, launches().size());
        assertEquals("h4", launches().get(1).hostId());
        online();
        second();
        second();
        second();
        for (Node n : state.requirePod("web").nodes()) {
            if ("h2".equals(n.hostId())) {
                assertEquals(NodeState.DRAINING, n.state(), n.toString());
            }
        }
        assertEquals("draining (2 left)", scheduling("h2"));
    }

    @Test
    void anOldNodeThatFailsMeanwhileIsForgottenAndItsReplacementTakesItsPlace() {
        String old = drainOneOfThree();
        String replacement = launches().get(0).node();
        observe(new NodeEvent.NodeFailed(id(), 1, clock.instant(), old, "web", "h2", "exit 1", 1));
        second();
        assertTrue(state.requirePod("web").node(old).isEmpty(), "not restarted besides its replacement");
        assertNull(node(replacement).replaces());
        assertEquals("drained", scheduling("h2"));
    }

    @Test
    void anUncordonStopsTheDrainButMovesAlreadyStartedFinish() {
        String old = drainOneOfThree();
        Outcome.Reply r = ok(new AdminRequest.UncordonHost(id(), 1, T0, "h2"));
        assertTrue(r.message().endsWith("its drain stops (moves already started finish)"), r.message());
        online();
        second();
        second();
        second();
        assertEquals(NodeState.DRAINING, node(old).state(), "the started move finished: no node left twice");
        assertEquals(1, launches().size());
    }

    @Test
    void badOrUnknownHostsAreRefusedNamingTheFieldAndNothingChanges() {
        hosts(4, "h1");
        webNodes(1);
        for (AdminRequest bad : List.of(new AdminRequest.DrainHost(id(), 1, T0, ""),
                new AdminRequest.CordonHost(id(), 1, T0, "bad host!"), new AdminRequest.UncordonHost(id(), 1, T0, null))) {
            CloudFixtures.assertRefused(state, DECISIONS.decide(state, bad, clock.instant()), 400, "host");
        }
        for (AdminRequest unknown : List.of(new AdminRequest.DrainHost(id(), 1, T0, "h9"),
                new AdminRequest.CordonHost(id(), 1, T0, "h9"), new AdminRequest.UncordonHost(id(), 1, T0, "h9"))) {
            Outcome o = CloudFixtures.assertRefused(state, DECISIONS.decide(state, unknown, clock.instant()), 404, "host");
            assertEquals("no host named 'h9' (cloud host ls lists the hosts)", o.reply().message());
        }
    }

    @Test
    void theHostListShowsEveryHostWithItsStateAndScheduling() {
        hosts(4, "h1", "h2", "h3");
        state = state.withHost(state.hosts().get("h3").in(cms.core.model.HostState.LEFT, "daemon stopping"));
        webNodes(3);
        ok(new AdminRequest.CordonHost(id(), 1, T0, "h1"));
        Map<String, HostDecisions.HostRow> rows = rows();
        assertEquals(List.of("h1", "h2", "h3"), List.copyOf(rows.keySet()));
        assertEquals("cordoned", rows.get("h1").scheduling());
        assertEquals("ok", rows.get("h2").scheduling());
        assertEquals("LEFT", rows.get("h3").state());
        assertEquals("daemon stopping", rows.get("h3").reason());
    }

    @Test
    void aScaleInTakesTheNodesOnACordonedHostFirst() {
        hosts(4, "h1", "h2", "h3");
        webNodes(3);
        ok(new AdminRequest.EnableElasticity(id(), 1, T0, "web", 1, 5));
        ok(new AdminRequest.CordonHost(id(), 1, T0, "h2"));
        String onH2 = byHost(NodeState.ONLINE).get("h2").get(0);
        Outcome o = new ScalingDecisions(PLACEMENT).apply(state, new cms.core.event.ScalingDecision(id(), 1, T0, "web",
                "cpuShare", 0.1, 3, 2, "low"), clock.instant());
        assertTrue(o.state().requirePod("web").node(onH2).orElseThrow().removing());
    }

    /** Three nodes on three hosts, h2 drained: the name of its node. */
    private String drainOneOfThree() {
        hosts(4, "h1", "h2", "h3");
        webNodes(3);
        String old = byHost(NodeState.ONLINE).get("h2").get(0);
        ok(new AdminRequest.DrainHost(id(), 1, T0, "h2"));
        return old;
    }

    @SuppressWarnings("unchecked")
    private Map<String, HostDecisions.HostRow> rows() {
        Map<String, HostDecisions.HostRow> out = new java.util.LinkedHashMap<>();
        ((List<HostDecisions.HostRow>) ask(new AdminRequest.ListHosts(id(), 1, T0)).body())
                .forEach(r -> out.put(r.hostId(), r));
        return out;
    }

    private static Map<String, Integer> count(Map<String, List<String>> byHost) {
        Map<String, Integer> out = new TreeMap<>();
        byHost.forEach((h, l) -> out.put(h, l.size()));
        return out;
    }
}
