package cms.nodedaemon;

import static cms.nodedaemon.SupervisorFixture.START_TIMEOUT;
import static cms.nodedaemon.SupervisorFixture.launchCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeEvent;
import cms.nodedaemon.driver.FakeNodeDriver;
import cms.nodedaemon.driver.RunningNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver's engine goes away (a Docker engine restart) and comes back having stopped every node. */
class NodeSupervisorEngineReturnTest {

    private final SupervisorFixture f = new SupervisorFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** n1 ONLINE (announced), n2 still STARTING. */
    private int twoNodes() {
        f.supervisor.launch(launchCommand("n1"));
        f.probe.setHealthy(true);
        f.supervisor.check();
        f.probe.setHealthy(false);
        f.supervisor.launch(launchCommand("n2"));
        return f.events().size();
    }

    @Test
    void whileTheEngineIsAwayNothingIsReportedOrRemovedEvenPastTheStartTimeout() {
        int before = twoNodes();
        f.driver.engineAway("engine away");

        f.supervisor.check();
        f.clock.advance(START_TIMEOUT.multipliedBy(2));
        f.supervisor.check();

        assertEquals(before, f.events().size());
        assertEquals(0, f.driver.stopCalls());
        assertEquals(2, f.supervisor.size());
    }

    @Test
    void onReturnTheStoppedNodesAreStartedAgainAndAnnouncedAtTheirNewPort() {
        int before = twoNodes();
        int oldPort = f.driver.node("n1").orElseThrow().port();
        f.driver.engineAway("engine away");
        f.supervisor.check();
        f.driver.engineBack();

        f.supervisor.check();

        assertEquals(List.of("n1", "n2"), f.driver.restarted());
        assertTrue(f.driver.list().stream().allMatch(RunningNode::running));
        assertEquals(before, f.events().size(), "nothing reported before they answer");
        f.probe.setHealthy(true);
        f.supervisor.check();
        List<NodeEvent> after = f.events().subList(before, f.events().size());
        assertEquals(2, after.size(), "events: " + after);
        for (NodeEvent e : after) {
            NodeEvent.NodeOnline online = assertInstanceOf(NodeEvent.NodeOnline.class, e);
            assertEquals(f.driver.node(online.node()).orElseThrow().port(), online.port());
        }
        assertTrue(f.driver.node("n1").orElseThrow().port() != oldPort);
        assertEquals(0, f.driver.stopCalls());
        assertEquals(2, f.supervisor.size());
    }

    @Test
    void aNodeThatKeptRunningAndKeptItsPortIsProbedAgainButNotAnnouncedAgain() {
        f.supervisor.launch(launchCommand("n1"));
        f.probe.setHealthy(true);
        f.supervisor.check();
        f.driver.engineAway("engine away");
        f.supervisor.check();
        RunningNode n1 = f.driver.node("n1").orElseThrow();
        f.driver.engineBack();
        f.driver.put(n1); // this one survived the engine's absence

        f.supervisor.check();
        f.supervisor.check();

        assertEquals(List.of(), f.driver.restarted());
        assertEquals(2, f.events().size(), "STARTING and ONLINE only");
        assertEquals(2, f.probe.asked().size(), "probed again after the return");
    }

    @Test
    void theStartTimeoutCountsAgainFromTheReturn() {
        twoNodes();
        f.driver.engineAway("engine away");
        f.supervisor.check();
        f.clock.advance(START_TIMEOUT.multipliedBy(2));
        f.driver.engineBack();
        f.supervisor.check();

        f.clock.advance(START_TIMEOUT);
        f.supervisor.check();
        assertEquals(2, f.supervisor.size(), "exactly at the timeout it still may pass");

        f.clock.advance(java.time.Duration.ofSeconds(1));
        f.supervisor.check();
        assertEquals(0, f.supervisor.size());
        assertTrue(f.events().stream().filter(e -> e instanceof NodeEvent.NodeFailed).map(e -> ((NodeEvent.NodeFailed) e)
                .reason()).allMatch(r -> r.startsWith("not healthy within 60 s")));
    }

    @Test
    void aNodeStoppedFromOutsideJustBeforeTheEngineWentAwayIsStartedAgainNotFailed() {
        int before = twoNodes();
        // what a shutting-down Docker engine does: stop signal and exit first, then its API goes away
        f.driver.stopFromOutside("n1", f.clock.instant());
        f.supervisor.check();
        f.driver.engineAway("engine away");
        f.supervisor.check();
        f.driver.engineBack();

        f.supervisor.check();

        assertEquals(before, f.events().size(), "no FAILED");
        assertEquals(List.of("n1", "n2"), f.driver.restarted());
    }

    @Test
    void aNodeGoneWhileTheEngineWasAwayIsFailedAndOthersComeBack() {
        int before = twoNodes();
        f.driver.engineAway("engine away");
        f.supervisor.check();
        f.driver.engineBack();
        f.driver.vanish("n2");

        f.supervisor.check();

        List<NodeEvent> after = f.events().subList(before, f.events().size());
        assertEquals(1, after.size(), "events: " + after);
        NodeEvent.NodeFailed failed = assertInstanceOf(NodeEvent.NodeFailed.class, after.get(0));
        assertEquals("n2", failed.node());
        assertEquals("its container or process disappeared while its engine was away", failed.reason());
        assertEquals(List.of("n1"), f.driver.restarted());
        assertEquals(1, f.supervisor.size());
    }

    @Test
    void aNodeFoundAfterTheReturnThatIsNotWatchedIsRemoved() {
        twoNodes();
        f.driver.engineAway("engine away");
        f.supervisor.check();
        f.driver.engineBack();
        f.driver.put(new RunningNode("stray", "web", "c-stray", false, FakeNodeDriver.ADDRESS, 21000, 143, false, 0.5));

        f.supervisor.check();

        assertEquals(List.of("stray"), f.driver.stopped());
        assertEquals(List.of("n1", "n2"), f.driver.restarted());
    }
}
