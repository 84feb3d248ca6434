package cms.nodedaemon;

import static cms.nodedaemon.SupervisorFixture.START_TIMEOUT;
import static cms.nodedaemon.SupervisorFixture.launchCommand;
import static cms.nodedaemon.SupervisorFixture.stopCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeEvent;
import cms.nodedaemon.driver.DriverUnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A driver that throws while launching or stopping one node ends that node FAILED, and nothing else. */
class NodeSupervisorFaultTest {

    private final SupervisorFixture f = new SupervisorFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aStartThatThrowsEndsTheNodeFailedWithTheReasonAndRemovesWhatItLeft() {
        f.driver.breakNextStart(new IllegalStateException("docker: connection reset"));

        f.supervisor.launch(launchCommand("n1"));

        NodeEvent.NodeFailed failed = f.onlyEvent(NodeEvent.NodeFailed.class);
        assertEquals("n1", failed.node());
        assertEquals("could not start: docker: connection reset", failed.reason());
        assertEquals(List.of("n1"), f.driver.stopped(), "the half-made node is removed");
        assertTrue(f.driver.list().isEmpty());
        assertEquals(0, f.supervisor.size());
        f.supervisor.launch(launchCommand("n2"));
        assertInstanceOf(NodeEvent.NodeStarting.class, f.events().get(1), "the next launch works");
    }

    @Test
    void aLaunchWhileTheEngineIsAwayEndsFailedWithTheEnginesReason() {
        f.driver.engineAway("the Docker engine at unix:///var/run/docker.sock is not answering");

        f.supervisor.launch(launchCommand("n1"));

        NodeEvent.NodeFailed failed = f.onlyEvent(NodeEvent.NodeFailed.class);
        assertEquals("could not start: the Docker engine at unix:///var/run/docker.sock is not answering",
                failed.reason());
        assertEquals(0, f.driver.startCalls());
        assertEquals(0, f.supervisor.size());
    }

    @Test
    void aStopThatThrowsEndsTheNodeFailedAndItsRemovalIsTriedAgainOnTheNextPass() {
        f.supervisor.launch(launchCommand("n1"));
        f.supervisor.launch(launchCommand("n2"));
        f.driver.breakNextStop(new IllegalStateException("docker: 500 device busy"));

        f.supervisor.stop(stopCommand("n1"));

        List<NodeEvent> events = f.events();
        NodeEvent.NodeFailed failed = assertInstanceOf(NodeEvent.NodeFailed.class, events.get(2));
        assertEquals("could not be stopped: docker: 500 device busy", failed.reason());
        assertTrue(f.driver.node("n1").isPresent(), "still there");
        f.supervisor.check();
        assertTrue(f.driver.node("n1").isEmpty(), "removed on the next pass");
        assertEquals(3, f.events().size(), "and not reported again");
        assertTrue(f.driver.node("n2").orElseThrow().running(), "the other node is untouched");
        assertEquals(1, f.supervisor.size());
    }

    @Test
    void aStopWhileTheEngineIsAwayEndsFailedAndTheNodeIsRemovedWhenItReturns() {
        f.supervisor.launch(launchCommand("n1"));
        f.driver.engineAway("engine away");

        f.supervisor.stop(stopCommand("n1"));

        assertEquals("could not be stopped: engine away",
                assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(1)).reason());
        f.driver.engineBack();
        f.supervisor.check();
        assertTrue(f.driver.list().isEmpty(), "removed once the engine answers");
        assertEquals(List.of(), f.driver.restarted(), "not started again: it was to stop");
        assertEquals(2, f.events().size());
    }

    @Test
    void aTimedOutNodeWhoseRemovalFailsIsReportedOnceAndRemovedLater() {
        f.supervisor.launch(launchCommand("n1"));
        f.clock.advance(START_TIMEOUT.plusSeconds(1));
        f.driver.breakNextStop(new DriverUnavailableException("engine away"));

        f.supervisor.check();
        f.supervisor.check();

        List<NodeEvent> events = f.events();
        assertEquals(2, events.size(), "events: " + events);
        assertEquals("not healthy within 60 s: health check /health did not pass",
                assertInstanceOf(NodeEvent.NodeFailed.class, events.get(1)).reason());
        assertTrue(f.driver.list().isEmpty(), "removed on the second pass");
        assertEquals(0, f.supervisor.size());
    }

    @Test
    void aNodeStoppedFromOutsideIsHeldWhileTheEngineMayBeShuttingDownThenFailed() {
        f.supervisor.launch(launchCommand("n1"));
        f.driver.stopFromOutside("n1", f.clock.instant());

        f.clock.advance(NodeSupervisor.OUTSIDE_STOP_HOLD.minusSeconds(1));
        f.supervisor.check();
        assertEquals(1, f.events().size(), "held");
        assertEquals(0, f.driver.stopCalls());

        f.clock.advance(Duration.ofSeconds(2));
        f.supervisor.check();
        NodeEvent.NodeFailed failed = assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(1));
        assertEquals("stopped from outside CMS (docker stop?): exited with code 143", failed.reason());
        assertEquals(143, failed.exitCode());
        assertEquals(List.of("n1"), f.driver.stopped());
    }

    @Test
    void aFailedEventThatCannotBeWrittenKeepsTheNodeWatchedSoItIsReportedLater() {
        f.supervisor.launch(launchCommand("n1"));
        f.driver.kill("n1");
        f.producer.sendException = new org.apache.kafka.common.errors.TimeoutException("broker away");

        f.supervisor.check();
        assertEquals(1, f.supervisor.size(), "still watched");
        f.producer.sendException = null;
        f.supervisor.check();

        NodeEvent.NodeFailed failed = assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(1));
        assertEquals("exited with code 137", failed.reason());
        assertNull(f.driver.node("n1").orElse(null));
        assertEquals(0, f.supervisor.size());
    }
}
