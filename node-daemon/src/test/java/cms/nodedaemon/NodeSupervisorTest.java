package cms.nodedaemon;

import static cms.nodedaemon.SupervisorFixture.HOST;
import static cms.nodedaemon.SupervisorFixture.START_TIMEOUT;
import static cms.nodedaemon.SupervisorFixture.STOP_GRACE;
import static cms.nodedaemon.SupervisorFixture.T0;
import static cms.nodedaemon.SupervisorFixture.launchCommand;
import static cms.nodedaemon.SupervisorFixture.stopCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeEvent;
import cms.core.model.Workload;
import cms.nodedaemon.driver.FakeNodeDriver;
import cms.nodedaemon.driver.RunningNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Launch, health check, death, start timeout and stop of nodes under the supervisor. */
class NodeSupervisorTest {

    private final SupervisorFixture f = new SupervisorFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void launchStartsTheNodeAndPublishesStartingWithTheHostId() {
        f.supervisor.launch(launchCommand("n1"));

        NodeEvent.NodeStarting e = f.onlyEvent(NodeEvent.NodeStarting.class);
        assertEquals("n1", e.node());
        assertEquals("web", e.pod());
        assertEquals(HOST, e.hostId());
        assertEquals(T0, e.at());
        assertEquals(1, f.driver.startCalls());
        assertTrue(f.driver.node("n1").isPresent());
        assertEquals(1, f.supervisor.size());
    }

    @Test
    void aSecondLaunchOfATrackedNodeNeitherStartsNorPublishesAgain() {
        f.supervisor.launch(launchCommand("n1"));
        f.supervisor.launch(launchCommand("n1"));

        assertEquals(1, f.driver.startCalls());
        assertEquals(1, f.events().size());
        assertEquals(1, f.supervisor.size());
    }

    @Test
    void aFailedStartPublishesFailedWithTheReasonAndTracksNothing() {
        f.driver.failNextStart("image nginx:nope not found");

        f.supervisor.launch(launchCommand("n1"));

        NodeEvent.NodeFailed e = f.onlyEvent(NodeEvent.NodeFailed.class);
        assertEquals("n1", e.node());
        assertEquals(HOST, e.hostId());
        assertEquals("image nginx:nope not found", e.reason());
        assertNull(e.exitCode());
        assertEquals(0, f.supervisor.size());
        f.supervisor.launch(launchCommand("n1"));
        assertEquals(2, f.driver.startCalls(), "a retried launch must start it, since nothing was tracked");
    }

    @Test
    void aHealthyStartingNodeGoesOnlineOnceWithItsAddressAndPort() {
        f.supervisor.launch(launchCommand("n1", Workload.image("nginx", 80, "/ready", "/job")));
        RunningNode r = f.driver.node("n1").orElseThrow();
        f.probe.setHealthy(true);

        f.supervisor.check();
        f.supervisor.check();

        List<NodeEvent> events = f.events();
        assertEquals(2, events.size(), "STARTING, then ONLINE once: " + events);
        NodeEvent.NodeOnline online = assertInstanceOf(NodeEvent.NodeOnline.class, events.get(1));
        assertEquals(FakeNodeDriver.ADDRESS, online.address());
        assertEquals(r.port(), online.port());
        assertEquals(HOST, online.hostId());
        assertEquals(List.of(FakeNodeDriver.ADDRESS + ":" + r.port() + "/ready"), f.probe.asked(),
                "probed once, on the workload's health path");
    }

    @Test
    void anUnhealthyNodeStaysStartingUntilTheTimeoutIsPassed() {
        f.supervisor.launch(launchCommand("n1"));
        f.clock.advance(START_TIMEOUT);

        f.supervisor.check();

        assertEquals(1, f.events().size(), "exactly at the timeout it still may pass");
        assertEquals(0, f.driver.stopCalls());
    }

    @Test
    void aNodeThatMissesItsStartTimeoutIsFailedAndStopped() {
        f.supervisor.launch(launchCommand("n1"));
        f.clock.advance(START_TIMEOUT.plusSeconds(1));

        f.supervisor.check();

        List<NodeEvent> events = f.events();
        assertEquals(2, events.size(), "events: " + events);
        NodeEvent.NodeFailed failed = assertInstanceOf(NodeEvent.NodeFailed.class, events.get(1));
        assertEquals("not healthy within 60 s: health check /health did not pass", failed.reason());
        assertNull(failed.exitCode());
        assertEquals(T0.plus(START_TIMEOUT).plusSeconds(1), failed.at());
        assertEquals(List.of("n1"), f.driver.stopped());
        assertEquals(List.of(STOP_GRACE), f.driver.stopGraces());
        assertTrue(f.driver.node("n1").isEmpty());
        assertEquals(0, f.supervisor.size());
    }

    @Test
    void anOnlineNodeIsNotTimedOut() {
        f.supervisor.launch(launchCommand("n1"));
        f.probe.setHealthy(true);
        f.supervisor.check();
        f.probe.setHealthy(false);
        f.clock.advance(START_TIMEOUT.multipliedBy(3));

        f.supervisor.check();

        assertEquals(2, f.events().size());
        assertEquals(1, f.supervisor.size());
    }

    @Test
    void aKilledNodeIsFailedWithItsExitCodeStoppedAndForgotten() {
        f.supervisor.launch(launchCommand("n1"));
        f.driver.kill("n1");

        f.supervisor.check();
        f.supervisor.check();

        List<NodeEvent> events = f.events();
        assertEquals(2, events.size(), "one FAILED only: " + events);
        NodeEvent.NodeFailed failed = assertInstanceOf(NodeEvent.NodeFailed.class, events.get(1));
        assertEquals("exited with code 137", failed.reason());
        assertEquals(137, failed.exitCode());
        assertEquals(HOST, failed.hostId());
        assertEquals(List.of("n1"), f.driver.stopped());
        assertEquals(List.of(Duration.ZERO), f.driver.stopGraces());
        assertEquals(0, f.supervisor.size());
    }

    @Test
    void aNodeKilledByItsMemoryLimitIsFailedAsOutOfMemory() {
        f.supervisor.launch(launchCommand("n1"));
        f.driver.oomKill("n1");

        f.supervisor.check();

        NodeEvent.NodeFailed failed = assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(1));
        assertTrue(failed.reason().contains("out of memory"), failed.reason());
        assertEquals(137, failed.exitCode());
    }

    @Test
    void aNodeThatDisappearedIsFailedWithoutAnExitCode() {
        f.supervisor.launch(launchCommand("n1"));
        f.driver.vanish("n1");

        f.supervisor.check();

        NodeEvent.NodeFailed failed = assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(1));
        assertEquals("its container or process disappeared", failed.reason());
        assertNull(failed.exitCode());
        assertEquals(0, f.supervisor.size());
    }

    @Test
    void onlyTheDeadNodeIsFailedWhenOthersRun() {
        f.supervisor.launch(launchCommand("n1"));
        f.supervisor.launch(launchCommand("n2"));
        f.driver.kill("n2");

        f.supervisor.check();

        List<NodeEvent> events = f.events();
        assertEquals(3, events.size(), "events: " + events);
        assertEquals("n2", assertInstanceOf(NodeEvent.NodeFailed.class, events.get(2)).node());
        assertEquals(1, f.supervisor.size());
        assertTrue(f.driver.node("n1").orElseThrow().running());
    }

    @Test
    void stopRemovesTheNodeAndPublishesStopped() {
        f.supervisor.launch(launchCommand("n1"));

        f.supervisor.stop(stopCommand("n1"));

        List<NodeEvent> events = f.events();
        assertEquals(2, events.size(), "events: " + events);
        NodeEvent.NodeStopped stopped = assertInstanceOf(NodeEvent.NodeStopped.class, events.get(1));
        assertEquals("n1", stopped.node());
        assertEquals("web", stopped.pod());
        assertEquals(HOST, stopped.hostId());
        assertTrue(f.driver.list().isEmpty());
        assertEquals(List.of(STOP_GRACE), f.driver.stopGraces());
        assertEquals(0, f.supervisor.size());
        f.supervisor.check();
        assertEquals(2, f.events().size(), "a stopped node is not reported FAILED afterwards");
    }
}
