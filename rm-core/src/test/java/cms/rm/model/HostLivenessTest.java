package cms.rm.model;

import static cms.rm.model.CloudFixtures.LIVENESS;
import static cms.rm.model.CloudFixtures.PLACEMENT;
import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.enable;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.node;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.removeNode;
import static cms.rm.model.CloudFixtures.restarting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.HostEvent;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.event.ScalingDecision;
import cms.core.model.Host;
import cms.core.model.HostState;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Host liveness on a fake clock, driven as the resource manager drives it: heartbeats observed as they come,
 * and once a second the liveness rule then the node repairs. A host silent for the liveness setting (5 s) is
 * LOST at once, its nodes FAILED with the reason and launched again on the other hosts in the same turn; a
 * lost host heard again is told to stop them; nothing is declared while no host at all is heard.
 */
class HostLivenessTest {

    private final MutableClock clock = new MutableClock(T0);
    private HostLiveness.Hearing hearing = HostLiveness.Hearing.NONE;
    private CloudState state;
    private final List<NodeCommand> commands = new ArrayList<>();
    private final List<HostEvent.HostLost> declared = new ArrayList<>();

    private void beat(String... hosts) {
        for (String h : hosts) {
            hearing = hearing.heard(clock.instant(), LIVENESS);
            Outcome o = HostLiveness.observe(state, new HostEvent.HostHeartbeat(id(), 1, T0, h, "10.0.0." + h.charAt(1),
                    4, 8192, 0, 0), clock.instant());
            state = o.state();
            commands.addAll(o.commands());
        }
    }

    /** One second of the world: the given hosts beat, then the resource manager's turn. */
    private void second(String... beating) {
        clock.advance(Duration.ofSeconds(1));
        beat(beating);
        turn();
    }

    private void turn() {
        HostLiveness.Result lost = HostLiveness.plan(state, clock.instant(), LIVENESS, hearing);
        declared.addAll(lost.lost());
        Outcome repaired = NodeRepairs.plan(lost.outcome().state(), clock.instant(), RepairSettings.DEFAULTS,
                PLACEMENT);
        state = repaired.state();
        commands.addAll(repaired.commands());
    }

    /** Pod web (policy as given) with w1…w6 launched on h1, h2, h3 and ONLINE there. */
    private void sixNodesOnThreeHosts(String restartPolicy) {
        state = given(restarting("web", restartPolicy));
        beat("h1", "h2", "h3");
        for (int i = 1; i <= 6; i++) {
            state = given(state, register("web", "w" + i), launch("web"));
        }
        online();
        commands.clear();
    }

    /** Every STARTING node reported ONLINE by its host. */
    private void online() {
        for (Node n : state.requirePod("web").nodes()) {
            if (n.state() == NodeState.STARTING) {
                state = ObservedDecisions.apply(state, new NodeEvent.NodeOnline(id(), 1, clock.instant(), n.name(),
                        "web", n.hostId(), "10.0.0." + n.hostId().charAt(1), 30000), clock.instant()).state();
            }
        }
    }

    private Map<String, Integer> perHost(NodeState s) {
        Map<String, Integer> out = new TreeMap<>();
        state.requirePod("web").nodes().stream().filter(n -> n.state() == s)
                .forEach(n -> out.merge(n.hostId(), 1, Integer::sum));
        return out;
    }

    @Test
    void aHeartbeatMakesTheHostReadySeenAtTheResourceManagersTime() {
        state = CloudState.empty();
        clock.advance(Duration.ofSeconds(30)); // the daemon's clock (T0 in its event) is behind
        beat("h1");
        Host h1 = state.hosts().get("h1");
        assertEquals(HostState.READY, h1.state());
        assertEquals(clock.instant(), h1.lastSeen());
        assertEquals(List.of(h1), PLACEMENT.liveHosts(state, clock.instant()));
    }

    @Test
    void aHostSilentForTheLivenessSettingIsLostAndItsNodesAreReplacedOnTheOthersInTheSameTurn() {
        sixNodesOnThreeHosts(null);
        assertEquals(Map.of("h1", 2, "h2", 2, "h3", 2), perHost(NodeState.ONLINE));
        for (int s = 1; s <= 4; s++) {
            second("h1", "h3"); // h2 is silent from now on
        }
        assertEquals(2, perHost(NodeState.ONLINE).get("h2"), "4 s of silence: not lost yet");
        assertTrue(declared.isEmpty());
        clock.advance(Duration.ofMillis(1001));
        beat("h1", "h3");
        turn();

        assertEquals(1, declared.size());
        assertEquals("h2", declared.get(0).hostId());
        assertEquals("host h2 lost: no heartbeat for 5 s", declared.get(0).reason());
        Host h2 = state.hosts().get("h2");
        assertEquals(HostState.LOST, h2.state());
        assertEquals(2, h2.lostNodes().size());
        assertFalse(perHost(NodeState.ONLINE).containsKey("h2"), "its nodes left the ONLINE count at once");
        List<NodeCommand.LaunchNode> launches = commands.stream().filter(NodeCommand.LaunchNode.class::isInstance)
                .map(NodeCommand.LaunchNode.class::cast).toList();
        assertEquals(2, launches.size(), "both launched again in the same turn: " + commands);
        for (NodeCommand.LaunchNode l : launches) {
            assertTrue(List.of("h1", "h3").contains(l.hostId()), l.toString());
            Node replaced = node(state, "web", l.node());
            assertEquals(NodeState.STARTING, replaced.state());
            assertEquals(l.hostId(), replaced.hostId());
            assertEquals(1, replaced.restartCount());
        }
        assertEquals(6, state.requirePod("web").sizedNodes().size(), "the pod keeps its size");
        turn();
        assertEquals(1, declared.size(), "declared once");
    }

    @Test
    void aNodeOfAPodThatNeverRestartsStaysFailedWithTheReason() {
        sixNodesOnThreeHosts("never");
        for (int s = 1; s <= 6; s++) {
            second("h1", "h3");
        }
        List<Node> failed = state.requirePod("web").nodes().stream().filter(n -> n.state() == NodeState.FAILED).toList();
        assertEquals(2, failed.size());
        failed.forEach(n -> assertEquals("host h2 lost: no heartbeat for 5 s", n.reason()));
        assertTrue(commands.isEmpty(), "nothing launched: " + commands);
    }

    @Test
    void anElasticPodKeepsItsSizeWhateverItsRestartPolicy() {
        state = given(restarting("web", "never"));
        beat("h1", "h2");
        state = given(state, enable("web", 4, 4));
        state = new ScalingDecisions(PLACEMENT).apply(state, new ScalingDecision(id(), 1, T0, "web", "cpu", 0, 0, 4,
                "min"), clock.instant()).state();
        online();
        assertEquals(Map.of("h1", 2, "h2", 2), perHost(NodeState.ONLINE));
        for (int s = 1; s <= 6; s++) {
            second("h1");
        }
        List<Node> sized = state.requirePod("web").sizedNodes();
        assertEquals(4, sized.size());
        assertTrue(sized.stream().allMatch(n -> "h1".equals(n.hostId()) && n.state().holdsCapacity()), sized.toString());
    }

    @Test
    void aNodeBeingRemovedFromALostHostIsForgotten() {
        sixNodesOnThreeHosts(null);
        String onH2 = state.requirePod("web").nodes().stream().filter(n -> "h2".equals(n.hostId())).findFirst()
                .orElseThrow().name();
        state = given(state, removeNode("web", onH2));
        assertEquals(NodeState.DRAINING, node(state, "web", onH2).state());
        for (int s = 1; s <= 6; s++) {
            second("h1", "h3");
        }
        assertTrue(state.requirePod("web").node(onH2).isEmpty(), "forgotten");
        assertEquals(5, state.requirePod("web").nodes().size());
        assertTrue(state.hosts().get("h2").lostNodes().stream().anyMatch(n -> n.name().equals(onH2)),
                "h2 stops it too when it is back");
    }

    @Test
    void aLostHostHeardAgainIsToldToStopWhatItRanAndIsReadyAgain() {
        sixNodesOnThreeHosts(null);
        List<String> onH2 = state.requirePod("web").nodes().stream().filter(n -> "h2".equals(n.hostId()))
                .map(Node::name).toList();
        for (int s = 1; s <= 6; s++) {
            second("h1", "h3");
        }
        online();
        commands.clear();
        second("h1", "h2", "h3");

        assertEquals(HostState.READY, state.hosts().get("h2").state());
        assertTrue(state.hosts().get("h2").lostNodes().isEmpty());
        List<NodeCommand> stops = commands.stream().filter(NodeCommand.StopNode.class::isInstance).toList();
        assertEquals(onH2.size(), stops.size(), commands.toString());
        for (NodeCommand c : stops) {
            NodeCommand.StopNode stop = (NodeCommand.StopNode) c;
            assertEquals("h2", stop.hostId());
            assertTrue(onH2.contains(stop.node()));
            assertFalse("h2".equals(node(state, "web", stop.node()).hostId()), "its replacement runs elsewhere");
        }
        // its stale word about them changes nothing: they run elsewhere now
        Node moved = node(state, "web", onH2.get(0));
        Outcome late = ObservedDecisions.apply(state, new NodeEvent.NodeStopped(id(), 1, clock.instant(), moved.name(),
                "web", "h2"), clock.instant());
        assertEquals(moved, node(late.state(), "web", moved.name()));
        assertTrue(PLACEMENT.liveHosts(state, clock.instant()).stream().anyMatch(h -> h.id().equals("h2")));
    }

    @Test
    void nothingIsDeclaredWhileNoHostIsHeardAndEveryHostGetsAFullWindowAfter() {
        sixNodesOnThreeHosts(null);
        for (int s = 1; s <= 90; s++) {
            second(); // a Kafka outage: the resource manager hears nobody
        }
        assertTrue(declared.isEmpty());
        assertEquals(6, perHost(NodeState.ONLINE).values().stream().mapToInt(Integer::intValue).sum());
        second("h1"); // h1's heartbeats arrive first
        for (int s = 1; s <= 4; s++) {
            second("h1");
        }
        assertTrue(declared.isEmpty(), "h2 and h3 have a full window from when hearing resumed");
        second("h1", "h3");
        second("h1", "h3");
        assertEquals(List.of("h2"), declared.stream().map(HostEvent.HostLost::hostId).toList());
    }

    @Test
    void aDaemonsGoodbyeStopsPlacementThereAndItsNodesAreReplacedOnlyIfItStaysAway() {
        sixNodesOnThreeHosts(null);
        state = HostLiveness.observe(state, new HostEvent.HostLost(id(), 1, clock.instant(), "h2",
                "node daemon stopped"), clock.instant()).state();
        assertEquals(HostState.LEFT, state.hosts().get("h2").state());
        assertFalse(PLACEMENT.liveHosts(state, clock.instant()).stream().anyMatch(h -> h.id().equals("h2")));
        second("h1", "h3");
        second("h1", "h3");
        assertEquals(2, perHost(NodeState.ONLINE).get("h2"), "left running for the daemon to adopt");
        second("h1", "h2", "h3"); // back within the window
        assertEquals(HostState.READY, state.hosts().get("h2").state());
        assertTrue(commands.isEmpty(), "nothing to stop: " + commands);

        state = HostLiveness.observe(state, new HostEvent.HostLost(id(), 1, clock.instant(), "h2",
                "node daemon stopped"), clock.instant()).state();
        for (int s = 1; s <= 6; s++) {
            second("h1", "h3");
        }
        assertEquals(HostState.LOST, state.hosts().get("h2").state());
        assertFalse(perHost(NodeState.ONLINE).containsKey("h2"));
    }

    @Test
    void aHostThatNodesNameButThatWasNotHeardSinceTheResourceManagerStartedIsLost() {
        sixNodesOnThreeHosts(null);
        state = state.withoutHost("h2"); // the resource manager restarted: hosts come from heartbeats only
        hearing = HostLiveness.Hearing.NONE;
        for (int s = 1; s <= 6; s++) {
            second("h1", "h3");
        }
        assertTrue(declared.isEmpty());
        second("h1", "h3");
        assertEquals(List.of("h2"), declared.stream().map(HostEvent.HostLost::hostId).toList());
        assertEquals(HostState.LOST, state.hosts().get("h2").state());
        assertFalse(perHost(NodeState.ONLINE).containsKey("h2"));
    }

    @Test
    void theResourceManagersOwnHostLostReadBackChangesNothing() {
        sixNodesOnThreeHosts(null);
        for (int s = 1; s <= 6; s++) {
            second("h1", "h3");
        }
        CloudState before = state;
        Outcome o = HostLiveness.observe(state, declared.get(0), clock.instant());
        assertEquals(before, o.state());
        assertTrue(o.commands().isEmpty());
    }
}
