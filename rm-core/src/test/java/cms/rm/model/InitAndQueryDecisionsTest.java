package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.accepted;
import static cms.rm.model.CloudFixtures.decide;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.init;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.refused;
import static cms.rm.model.CloudFixtures.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.Pod;
import cms.core.model.Workload;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Cloud init, the read-only requests (list/get pods, list nodes) and pause/resume. */
class InitAndQueryDecisionsTest {

    @Test
    void initCreatesTheThreeBuiltinPodsWithDefaultsAndMarksTheCloud() {
        Outcome o = accepted(CloudState.empty(), init());

        assertEquals(201, o.reply().status());
        assertTrue(o.cloudChanged());
        assertEquals(T0, o.state().initialisedAt());
        assertEquals(Set.of("light", "medium", "heavy"), o.state().pods().keySet());
        assertEquals(Set.of("light", "medium", "heavy"),
                o.changedPods().stream().map(Pod::name).collect(Collectors.toSet()));
        assertTrue(o.commands().isEmpty());
        for (Workload.Builtin kind : Workload.Builtin.values()) {
            Pod p = o.state().requirePod(kind.word());
            assertEquals(Workload.builtin(kind), p.workload());
            assertEquals(0.3, p.cpuLimit(), 1e-12);
            assertEquals(100, p.memoryMb());
            assertEquals(20, p.nodeLimit());
            assertFalse(p.paused());
            assertEquals(ElasticityPolicy.disabled(), p.elasticity());
            assertTrue(p.nodes().isEmpty());
            assertEquals(T0, p.createdAt());
        }
    }

    @Test
    void secondInitIsAConflictAndChangesNothing() {
        CloudState once = given(init());
        Outcome o = refused(once, init(), 409, null);
        assertTrue(o.reply().message().contains("already initialised"), o.reply().message());
        assertSame(once, o.state());
    }

    @Test
    void initKeepsAPodOfABuiltinNameThatWasRegisteredBefore() {
        CloudState before = given(pod("light", 2.0, 512, 3));
        Outcome o = accepted(before, init());
        assertEquals(2.0, o.state().requirePod("light").cpuLimit(), 1e-12);
        assertEquals(Set.of("medium", "heavy"), o.changedPods().stream().map(Pod::name).collect(Collectors.toSet()));
        assertTrue(o.state().initialised());
    }

    @Test
    void listPodsReturnsEveryPodAndChangesNothing() {
        CloudState s = given(init(), pod("web"));
        Outcome o = accepted(s, new AdminRequest.ListPods(id(), 1, T0));
        assertEquals(200, o.reply().status());
        assertSame(s, o.state());
        assertTrue(o.changedPods().isEmpty() && o.commands().isEmpty());
        @SuppressWarnings("unchecked")
        List<Pod> pods = (List<Pod>) o.reply().body();
        assertEquals(Set.of("light", "medium", "heavy", "web"), pods.stream().map(Pod::name).collect(Collectors.toSet()));
        assertTrue(o.reply().message().startsWith("4 pod"), o.reply().message());
    }

    @Test
    void listPodsOfAnEmptyCloudIsEmpty() {
        Outcome o = accepted(CloudState.empty(), new AdminRequest.ListPods(id(), 1, T0));
        assertEquals(List.of(), o.reply().body());
    }

    @Test
    void listPodsIsInNameOrder() {
        List<String> names = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel");
        CloudState s = CloudState.empty();
        for (String n : List.of("hotel", "charlie", "golf", "alpha", "foxtrot", "bravo", "echo", "delta")) {
            s = given(s, pod(n));
        }
        Outcome o = accepted(s, new AdminRequest.ListPods(id(), 1, T0));
        @SuppressWarnings("unchecked")
        List<Pod> pods = (List<Pod>) o.reply().body();
        assertEquals(names, pods.stream().map(Pod::name).toList());
    }

    @Test
    void getPodReturnsThePodOrNotFound() {
        CloudState s = given(pod("web"));
        Outcome o = accepted(s, new AdminRequest.GetPod(id(), 1, T0, "web"));
        assertEquals(s.requirePod("web"), o.reply().body());
        assertSame(s, o.state());
        refused(s, new AdminRequest.GetPod(id(), 1, T0, "nope"), 404, "pod");
    }

    @Test
    void listNodesOfAllPodsOrOfOnePodInRegistrationOrder() {
        CloudState s = given(pod("a"), pod("b"), register("a", "a2"), register("b", "b1"), register("a", "a1"));

        Outcome all = accepted(s, new AdminRequest.ListNodes(id(), 1, T0, null));
        @SuppressWarnings("unchecked")
        List<Node> allNodes = (List<Node>) all.reply().body();
        assertEquals(List.of("a2", "a1", "b1"), allNodes.stream().map(Node::name).toList(),
                "pods by name, each pod's nodes in registration order");
        assertSame(s, all.state());

        Outcome ofA = accepted(s, new AdminRequest.ListNodes(id(), 1, T0, "a"));
        @SuppressWarnings("unchecked")
        List<Node> aNodes = (List<Node>) ofA.reply().body();
        assertEquals(List.of("a2", "a1"), aNodes.stream().map(Node::name).toList());
        assertTrue(ofA.reply().message().startsWith("2 node"), ofA.reply().message());
    }

    @Test
    void listNodesOfAnUnknownPodIsNotFound() {
        CloudState s = given(pod("a"));
        refused(s, new AdminRequest.ListNodes(id(), 1, T0, "zzz"), 404, "pod");
    }

    @Test
    void pauseAndResumeToggleThePausedFlag() {
        CloudState s = given(pod("web"), register("web", "n1"));
        Outcome paused = accepted(s, new AdminRequest.Pause(id(), 1, T0, "web"));
        assertEquals(200, paused.reply().status());
        assertTrue(paused.state().requirePod("web").paused());
        assertEquals(List.of(paused.state().requirePod("web")), paused.changedPods());
        assertEquals(s.requirePod("web").nodes(), paused.state().requirePod("web").nodes(), "pause keeps the nodes");

        Outcome resumed = accepted(paused.state(), new AdminRequest.Resume(id(), 1, T0, "web"));
        assertFalse(resumed.state().requirePod("web").paused());
        assertEquals(1, resumed.changedPods().size());
    }

    @Test
    void pausingTwiceOrResumingARunningPodSaysAlreadyAndChangesNothing() {
        CloudState running = given(pod("web"));
        Outcome resume = decide(running, new AdminRequest.Resume(id(), 1, T0, "web"));
        assertEquals(200, resume.reply().status());
        assertTrue(resume.reply().message().contains("already"), resume.reply().message());
        assertSame(running, resume.state());
        assertTrue(resume.changedPods().isEmpty());

        CloudState paused = given(running, new AdminRequest.Pause(id(), 1, T0, "web"));
        Outcome again = decide(paused, new AdminRequest.Pause(id(), 1, T0, "web"));
        assertEquals(200, again.reply().status());
        assertTrue(again.reply().message().contains("already paused"), again.reply().message());
        assertSame(paused, again.state());
        assertTrue(again.changedPods().isEmpty());
    }

    @Test
    void pauseOrResumeOfAnUnknownPodIsNotFound() {
        CloudState s = given(pod("web"));
        refused(s, new AdminRequest.Pause(id(), 1, T0, "ghost"), 404, "pod");
        refused(s, new AdminRequest.Resume(id(), 1, T0, "ghost"), 404, "pod");
    }

    @Test
    void decisionsDoNotReadTheClock() {
        Instant later = T0.plusSeconds(3600);
        Outcome o = CloudFixtures.DECISIONS.decide(CloudState.empty(), init(), later);
        assertEquals(later, o.state().initialisedAt());
        assertEquals(later, o.state().requirePod("light").createdAt());
    }
}
