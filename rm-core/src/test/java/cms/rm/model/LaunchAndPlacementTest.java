package cms.rm.model;

import static cms.rm.model.CloudFixtures.LIVENESS;
import static cms.rm.model.CloudFixtures.PLACEMENT;
import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.accepted;
import static cms.rm.model.CloudFixtures.enable;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.node;
import static cms.rm.model.CloudFixtures.observed;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.refused;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.stopped;
import static cms.rm.model.CloudFixtures.withHosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeCommand;
import cms.core.model.Host;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Workload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Launching the next NEW node, and Placement's choice of host. */
class LaunchAndPlacementTest {

    /** Pod web (cpu, memory) with nodes n1..nN registered, on the given hosts. */
    private static CloudState web(double cpu, int memoryMb, int nodes, Host... hosts) {
        CloudState s = given(pod("web", cpu, memoryMb, 20));
        for (int i = 1; i <= nodes; i++) {
            s = given(s, register("web", "n" + i));
        }
        return withHosts(s, hosts);
    }

    private static String hostOf(Outcome o) {
        return ((NodeCommand.LaunchNode) o.commands().get(0)).hostId();
    }

    @Test
    void launchStartsTheFirstNewNodeOnALiveHost() {
        CloudState s = given(withHosts(given(pod("web", "medium"), register("web", "b"), register("web", "a")),
                host("h1", 4, 4096)));
        Outcome o = accepted(s, launch("web"));

        assertEquals(202, o.reply().status());
        Node b = node(o.state(), "web", "b");
        assertEquals(NodeState.STARTING, b.state());
        assertEquals("h1", b.hostId());
        assertEquals(T0, b.since());
        assertEquals(b, o.reply().body());
        assertEquals(NodeState.NEW, node(o.state(), "web", "a").state());
        assertEquals(List.of("b", "a"), o.state().requirePod("web").nodes().stream().map(Node::name).toList(),
                "a launched node keeps its place");
        assertEquals(List.of(o.state().requirePod("web")), o.changedPods());

        assertEquals(1, o.commands().size());
        NodeCommand.LaunchNode cmd = (NodeCommand.LaunchNode) o.commands().get(0);
        assertEquals("h1", cmd.hostId());
        assertEquals("b", cmd.node());
        assertEquals("web", cmd.pod());
        assertEquals(Workload.builtin(Workload.Builtin.MEDIUM), cmd.workload());
        assertEquals(0.3, cmd.cpuLimit(), 1e-12);
        assertEquals(100, cmd.memoryMb());
        assertEquals(T0, cmd.at());

        Outcome second = accepted(o.state(), launch("web"));
        assertEquals("a", ((NodeCommand.LaunchNode) second.commands().get(0)).node());
    }

    @Test
    void launchWithNoNewNodeIsAConflict() {
        CloudState s = given(web(0.3, 100, 1, host("h1", 4, 4096)), launch("web"));
        Outcome o = refused(s, launch("web"), 409, null);
        assertTrue(o.reply().message().contains("no NEW node"), o.reply().message());
        refused(given(pod("empty")), launch("empty"), 409, null);
    }

    @Test
    void launchOfUnknownPodIsNotFound() {
        refused(web(0.3, 100, 1, host("h1", 4, 4096)), launch("ghost"), 404, "pod");
    }

    @Test
    void launchWhileElasticityIsEnabledIsAConflict() {
        CloudState s = given(web(0.3, 100, 1, host("h1", 4, 4096)), enable("web", 1, 3));
        Outcome o = refused(s, launch("web"), 409, null);
        assertTrue(o.reply().message().contains("elasticity"), o.reply().message());
    }

    @Test
    void launchWithoutAnyHostIsAConflictSayingWhy() {
        Outcome o = refused(web(0.3, 100, 1), launch("web"), 409, null);
        assertTrue(o.reply().message().contains("0 live host"), o.reply().message());
    }

    @Test
    void aHostSeenExactlyAtTheWindowIsLiveButOneMillisecondOlderIsNot() {
        Host edge = host("h1", 4, 4096, T0.minus(LIVENESS));
        Host stale = host("h2", 64, 65536, T0.minus(LIVENESS).minusMillis(1));
        assertTrue(PLACEMENT.isLive(edge, T0));
        assertFalse(PLACEMENT.isLive(stale, T0));
        assertEquals("h1", hostOf(accepted(web(0.3, 100, 1, edge, stale), launch("web"))));

        Outcome o = refused(web(0.3, 100, 1, stale), launch("web"), 409, null);
        assertTrue(o.reply().message().contains("0 live host"), o.reply().message());
        assertFalse(o.reply().message().contains("h2"), "a dead host is not offered: " + o.reply().message());
    }

    @Test
    void theHostWithMostFreeCpuIsChosenAmongThoseWithFewestOfThePodsNodes() {
        CloudState s = web(1.0, 100, 2, host("small", 1, 8192), host("big", 2, 8192), host("mid", 1.5, 8192));
        Outcome first = accepted(s, launch("web"));
        assertEquals("big", hostOf(first));
        // big now has 2*4-1 = 7 free, mid 6, small 4; but big has one of web's nodes already: spread first
        Outcome second = accepted(first.state(), launch("web"));
        assertEquals("mid", hostOf(second));
    }

    @Test
    void usedCpuMovesTheChoiceToAnotherHost() {
        // a: 1 core (4 with overcommit); b: 0.9 cores (3.6). After two 1-CPU nodes on a, b has more free.
        CloudState s = web(1.0, 16, 3, host("a", 1, 8192), host("b", 0.9, 8192));
        Outcome one = accepted(s, launch("web"));
        assertEquals("a", hostOf(one));
        Outcome two = accepted(one.state(), launch("web"));
        assertEquals("b", hostOf(two));
        Outcome three = accepted(two.state(), launch("web"));
        assertEquals("a", hostOf(three));
    }

    @Test
    void cpuMayBeOvercommittedByTheFactorButNoFurther() {
        CloudState s = web(1.0, 16, 5, host("h1", 1, 8192));
        for (int i = 0; i < 4; i++) {
            s = accepted(s, launch("web")).state();
        }
        Outcome fifth = refused(s, launch("web"), 409, null);
        assertTrue(fifth.reply().message().contains("h1 has 0.00 CPU"), fifth.reply().message());

        Placement strict = new Placement(LIVENESS, 1.0);
        CloudState one = web(1.0, 16, 2, host("h1", 1, 8192));
        one = new AdminDecisions(strict).decide(one, launch("web"), T0).state();
        assertEquals(202, new AdminDecisions(strict).decide(web(1.0, 16, 1, host("h1", 1, 8192)), launch("web"),
                T0).reply().status());
        assertEquals(409, new AdminDecisions(strict).decide(one, launch("web"), T0).reply().status());
    }

    @Test
    void memoryIsNeverOvercommitted() {
        CloudState s = web(0.1, 100, 3, host("h1", 64, 250));
        s = accepted(s, launch("web")).state();
        s = accepted(s, launch("web")).state();
        Outcome third = refused(s, launch("web"), 409, null);
        String m = third.reply().message();
        assertTrue(m.contains("needs 0.10 CPU, 100 MB"), m);
        assertTrue(m.contains("1 live host"), m);
        assertTrue(m.contains("h1 has 255.80 CPU, 50 MB free"), m);
    }

    @Test
    void nodesOfOtherPodsUseCapacityButStoppedOnesDoNot() {
        CloudState s = given(web(1.0, 100, 1, host("h1", 1, 200)), pod("api", 1.0, 100, 20),
                register("api", "a1"), launch("api"));
        assertEquals(100, PLACEMENT.freeMemory(s, s.hosts().get("h1")));
        assertEquals(3.0, PLACEMENT.freeCpu(s, s.hosts().get("h1")), 1e-9);
        assertEquals("h1", hostOf(accepted(s, launch("web"))));

        CloudState full = given(s, launch("web"));
        refused(given(full, register("web", "n2")), launch("web"), 409, null);

        CloudState freed = given(observed(full, T0, stopped("api", "a1")), register("web", "n2"));
        assertEquals(100, PLACEMENT.freeMemory(freed, freed.hosts().get("h1")));
        assertEquals("h1", hostOf(accepted(freed, launch("web"))));
    }

    @Test
    void usageSumsWhatTheNodesHoldingCapacityHoldOnEachHostInOnePass() {
        CloudState s = given(web(1.0, 100, 3, host("h1", 4, 1000)), pod("api", 0.5, 50, 20), register("api", "a1"),
                launch("api"), register("api", "a2"), launch("api"), register("api", "a3"), launch("web"));
        s = observed(s, T0, stopped("api", "a1"));
        assertEquals(java.util.Map.of("h1", new Placement.Use(2, 1.5, 150)), Placement.usage(s.pods().values()),
                "a2 and n1 hold capacity; a1 STOPPED, a3, n2 and n3 NEW hold none");
        assertEquals(16 - 1.5, PLACEMENT.freeCpu(s, s.hosts().get("h1")), 1e-9);
        assertEquals(850, PLACEMENT.freeMemory(s, s.hosts().get("h1")));
    }

    @Test
    void aNoRoomReplyNamesTheFiveHostsWithTheMostFreeCpuNotEveryHost() {
        CloudState s = given(web(1.0, 100, 1, host("h01", 1, 150), host("h02", 2, 150), host("h03", 3, 150),
                host("h04", 4, 150), host("h05", 5, 150), host("h06", 6, 150), host("h07", 7, 150)),
                pod("fill", 0.1, 100, 20));
        for (int i = 1; i <= 7; i++) {
            s = given(s, register("fill", "f" + i), launch("fill"));
        }
        String m = refused(s, launch("web"), 409, null).reply().message();
        assertTrue(m.contains("7 live host(s); h03 has 11.90 CPU, 50 MB free; h04"), m);
        assertTrue(m.contains("h07 has 27.90 CPU, 50 MB free"), m);
        assertFalse(m.contains("h02") || m.contains("h01"), m);
        assertTrue(m.endsWith("; and 2 more with less CPU free"), m);
    }

    @Test
    void aPodIsSpreadOverTheHostsWithTheFewestOfItsNodesBeforeTheMostFreeCapacity() {
        // "big" has far more room, but a pod's nodes go to the host with the fewest of them first
        CloudState s = given(web(0.5, 100, 6, host("big", 16, 65536), host("small1", 2, 4096),
                host("small2", 2, 4096)), pod("other", 0.5, 100, 20), register("other", "o1"), launch("other"));
        assertEquals("big", s.requirePod("other").node("o1").orElseThrow().hostId(), "most free CPU first");
        java.util.Map<String, Integer> perHost = new java.util.TreeMap<>();
        for (int i = 0; i < 6; i++) {
            Outcome o = accepted(s, launch("web"));
            perHost.merge(hostOf(o), 1, Integer::sum);
            s = o.state();
        }
        assertEquals(java.util.Map.of("big", 2, "small1", 2, "small2", 2), perHost);
    }

    @Test
    void choiceAmongEqualHostsDoesNotDependOnTheOrderTheyJoined() {
        Host x = host("x", 2, 4096);
        Host y = host("y", 2, 4096);
        String one = hostOf(accepted(web(0.5, 100, 1, x, y), launch("web")));
        String two = hostOf(accepted(web(0.5, 100, 1, y, x), launch("web")));
        assertEquals(one, two);
    }

    @Test
    void noRoomListsOnlyLiveHostsWithWhatTheyHaveFree() {
        CloudState s = web(2.0, 512, 1, host("a", 0.25, 4096), host("b", 8, 256),
                host("old", 64, 65536, T0.minus(Duration.ofMinutes(1))));
        assertEquals(List.of("a", "b"), PLACEMENT.liveHosts(s, T0).stream().map(Host::id).sorted().toList());
        assertTrue(PLACEMENT.choose(s, s.requirePod("web"), T0).isEmpty());
        String why = PLACEMENT.noRoom(s, s.requirePod("web"), T0);
        assertTrue(why.contains("pod web"), why);
        assertTrue(why.contains("2 live host(s)"), why);
        assertTrue(why.contains("a has 1.00 CPU, 4096 MB free"), why);
        assertTrue(why.contains("b has 32.00 CPU, 256 MB free"), why);
        assertFalse(why.contains("old"), why);
        assertTrue(why.indexOf("a has") < why.indexOf("b has"), "hosts listed by id: " + why);
    }
}
