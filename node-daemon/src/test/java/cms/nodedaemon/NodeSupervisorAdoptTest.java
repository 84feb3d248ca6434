package cms.nodedaemon;

import static cms.nodedaemon.SupervisorFixture.HOST;
import static cms.nodedaemon.SupervisorFixture.STOP_GRACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeEvent;
import cms.nodedaemon.driver.FakeNodeDriver;
import cms.nodedaemon.driver.RunningNode;
import cms.nodedaemon.model.AdoptionPlan;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link NodeSupervisor#adopt} does with each step of a start-up plan. */
class NodeSupervisorAdoptTest {

    private final SupervisorFixture f = new SupervisorFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static RunningNode running(String node) {
        return new RunningNode(node, "web", "c-" + node, true, FakeNodeDriver.ADDRESS, 21000, null, false, 0.5);
    }

    @Test
    void anAdoptedNodeIsWatchedWithoutAnyEventUntilItsHealthCheckPasses() {
        f.driver.put(running("n1"));

        f.supervisor.adopt(List.of(new AdoptionPlan.Adopt(running("n1"))));

        assertTrue(f.events().isEmpty());
        assertEquals(1, f.supervisor.size());
        assertEquals(0, f.driver.stopCalls());
        f.probe.setHealthy(true);
        f.supervisor.check();
        NodeEvent.NodeOnline online = f.onlyEvent(NodeEvent.NodeOnline.class);
        assertEquals(21000, online.port());
        assertEquals(List.of(FakeNodeDriver.ADDRESS + ":21000/health"), f.probe.asked());
    }

    @Test
    void anAdoptedNodeIsProbedOnItsPodsHealthPath() {
        f.driver.put(running("n1"));
        f.supervisor.adopt(List.of(new AdoptionPlan.Adopt(running("n1"))), java.util.Map.of("web", "/ready"));
        f.probe.setHealthy(true);
        f.supervisor.check();
        f.onlyEvent(NodeEvent.NodeOnline.class);
        assertEquals(List.of(FakeNodeDriver.ADDRESS + ":21000/ready"), f.probe.asked());
    }

    @Test
    void anAdoptedNodeAlreadyOnlineIsNotAnnouncedAgainButIsWatched() {
        f.driver.put(running("n1"));
        f.supervisor.adopt(List.of(new AdoptionPlan.Adopt(running("n1"), true)));
        f.probe.setHealthy(true);
        f.supervisor.check();
        assertTrue(f.events().isEmpty(), "no second NodeOnline for a node the resource manager has ONLINE");
        f.driver.kill("n1");
        f.supervisor.check();
        assertEquals("exited with code 137", f.onlyEvent(NodeEvent.NodeFailed.class).reason());
    }

    @Test
    void anAdoptedNodeThatDiesIsFailed() {
        f.driver.put(running("n1"));
        f.supervisor.adopt(List.of(new AdoptionPlan.Adopt(running("n1"))));
        f.driver.kill("n1");

        f.supervisor.check();

        NodeEvent.NodeFailed failed = f.onlyEvent(NodeEvent.NodeFailed.class);
        assertEquals("exited with code 137", failed.reason());
    }

    @Test
    void aRemoveWithAReasonStopsTheNodeAndReportsItFailed() {
        f.driver.put(running("n1"));

        f.supervisor.adopt(List.of(new AdoptionPlan.Remove("n1", "web", "exited with code 1", 1)));

        NodeEvent.NodeFailed failed = f.onlyEvent(NodeEvent.NodeFailed.class);
        assertEquals("n1", failed.node());
        assertEquals("web", failed.pod());
        assertEquals(HOST, failed.hostId());
        assertEquals("exited with code 1", failed.reason());
        assertEquals(1, failed.exitCode());
        assertEquals(List.of("n1"), f.driver.stopped());
        assertEquals(List.of(STOP_GRACE), f.driver.stopGraces());
        assertEquals(0, f.supervisor.size());
    }

    @Test
    void aRemoveWithoutAReasonStopsTheNodeSilently() {
        f.driver.put(running("n1"));

        f.supervisor.adopt(List.of(new AdoptionPlan.Remove("n1", "web", null, null)));

        assertTrue(f.events().isEmpty());
        assertTrue(f.driver.list().isEmpty());
        assertEquals(0, f.supervisor.size());
    }

    @Test
    void aMissingNodeIsReportedFailedAndNotStarted() {
        f.supervisor.adopt(List.of(new AdoptionPlan.Missing("n1", "web", "not running on host h1")));

        NodeEvent.NodeFailed failed = f.onlyEvent(NodeEvent.NodeFailed.class);
        assertEquals("not running on host h1", failed.reason());
        assertNull(failed.exitCode());
        assertEquals(0, f.driver.startCalls());
        assertEquals(0, f.driver.stopCalls());
        assertEquals(0, f.supervisor.size());
    }

    @Test
    void aWholePlanPublishesExactlyOneEventPerFailureInOrder() {
        f.driver.put(running("keep"));
        f.driver.put(running("dead"));
        f.driver.put(running("stray"));

        f.supervisor.adopt(List.of(
                new AdoptionPlan.Adopt(running("keep")),
                new AdoptionPlan.Remove("dead", "web", "out of memory (killed by its memory limit)", 137),
                new AdoptionPlan.Remove("stray", "other", null, null),
                new AdoptionPlan.Missing("lost", "web", "not running")));

        List<NodeEvent> events = f.events();
        assertEquals(2, events.size(), "events: " + events);
        assertEquals("dead", assertInstanceOf(NodeEvent.NodeFailed.class, events.get(0)).node());
        assertEquals("lost", assertInstanceOf(NodeEvent.NodeFailed.class, events.get(1)).node());
        assertEquals(List.of("dead", "stray"), f.driver.stopped());
        assertEquals(List.of("keep"), f.driver.list().stream().map(RunningNode::node).toList());
        assertEquals(1, f.supervisor.size());
    }

    @Test
    void launchingAnAdoptedNodeDoesNotStartItAgain() {
        f.driver.put(running("n1"));
        f.supervisor.adopt(List.of(new AdoptionPlan.Adopt(running("n1"))));

        f.supervisor.launch(SupervisorFixture.launchCommand("n1"));

        assertEquals(0, f.driver.startCalls());
        assertTrue(f.events().isEmpty());
    }
}
