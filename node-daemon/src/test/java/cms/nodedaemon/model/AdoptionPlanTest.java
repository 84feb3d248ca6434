package cms.nodedaemon.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.nodedaemon.driver.RunningNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which found nodes a starting daemon adopts or removes, and which wanted ones it reports missing. */
class AdoptionPlanTest {

    private static final String HOST = "h1";
    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");
    private static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));

    private static Node node(String name, NodeState state, String host, Instant since) {
        return new Node(name, "web", state, host, null, null, false, null, since);
    }

    private static Map<String, Node> wanted(Node... nodes) {
        return AdoptionPlan.wanted(List.of(nodes), HOST);
    }

    private static RunningNode alive(String name) {
        return new RunningNode(name, "web", "c-" + name, true, "10.0.0.7", 20000, null, false, 1.0);
    }

    private static RunningNode exited(String name, int code, boolean oom) {
        return new RunningNode(name, "web", "c-" + name, false, "10.0.0.7", 20000, code, oom, 1.0);
    }

    @Test
    void onlyStartingOnlineAndDrainingNodesOfThisHostAreWanted() {
        List<Node> all = List.of(
                node("starting", NodeState.STARTING, HOST, NOW),
                node("online", NodeState.ONLINE, HOST, NOW),
                node("draining", NodeState.DRAINING, HOST, NOW),
                node("new", NodeState.NEW, HOST, NOW),
                node("stopped", NodeState.STOPPED, HOST, NOW),
                node("failed", NodeState.FAILED, HOST, NOW),
                node("elsewhere", NodeState.ONLINE, "h2", NOW),
                node("unplaced", NodeState.NEW, null, NOW));

        Map<String, Node> wanted = AdoptionPlan.wanted(all, HOST);

        assertEquals(Set.of("starting", "online", "draining"), wanted.keySet());
        assertEquals(all.get(1), wanted.get("online"));
    }

    @Test
    void aWantedRunningNodeIsAdopted() {
        RunningNode r = alive("n1");

        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted(node("n1", NodeState.ONLINE, HOST, LONG_AGO)),
                List.of(r), HOST, NOW);

        assertEquals(List.of(new AdoptionPlan.Adopt(r, true)), steps, "already ONLINE: not announced again");
        assertEquals("n1", steps.get(0).node());
    }

    @Test
    void aStartingNodeIsAdoptedToBeAnnouncedOnceHealthy() {
        RunningNode r = alive("n1");
        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted(node("n1", NodeState.STARTING, HOST, LONG_AGO)),
                List.of(r), HOST, NOW);
        assertEquals(List.of(new AdoptionPlan.Adopt(r, false)), steps);
    }

    @Test
    void aWantedNodeThatExitedIsRemovedAndReportedWithItsExitCode() {
        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted(node("n1", NodeState.ONLINE, HOST, LONG_AGO)),
                List.of(exited("n1", 2, false)), HOST, NOW);

        assertEquals(List.of(new AdoptionPlan.Remove("n1", "web", "exited with code 2", 2)), steps);
    }

    @Test
    void aWantedNodeKilledForMemoryIsReportedOutOfMemory() {
        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted(node("n1", NodeState.STARTING, HOST, NOW)),
                List.of(exited("n1", 137, true)), HOST, NOW);

        AdoptionPlan.Remove remove = assertInstanceOf(AdoptionPlan.Remove.class, steps.get(0));
        assertTrue(remove.failedReason().contains("out of memory"), remove.failedReason());
        assertEquals(137, remove.exitCode());
        assertEquals(1, steps.size(), "a found node is never also missing: " + steps);
    }

    @Test
    void aNodeNotWantedHereIsRemovedSilentlyRunningOrNot() {
        Map<String, Node> wanted = AdoptionPlan.wanted(List.of(
                node("other-host", NodeState.ONLINE, "h2", LONG_AGO),
                node("stopped", NodeState.STOPPED, HOST, LONG_AGO)), HOST);

        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted,
                List.of(alive("other-host"), exited("stopped", 0, false), alive("unknown")), HOST, NOW);

        assertEquals(List.of(
                new AdoptionPlan.Remove("other-host", "web", null, null),
                new AdoptionPlan.Remove("stopped", "web", null, null),
                new AdoptionPlan.Remove("unknown", "web", null, null)), steps);
    }

    @Test
    void aWantedOnlineOrDrainingNodeThatIsNotFoundIsMissing() {
        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted(node("n1", NodeState.ONLINE, HOST, NOW)),
                List.of(), HOST, NOW);

        assertEquals(List.of(new AdoptionPlan.Missing("n1", "web",
                "not running on host h1 when its node daemon started")), steps);
        assertEquals(1, AdoptionPlan.plan(wanted(node("d1", NodeState.DRAINING, HOST, NOW)), List.of(), HOST, NOW)
                .size(), "only STARTING nodes get the launch grace");
    }

    @Test
    void aStartingNodePlacedWithinTheGraceIsLeftToItsLaunchCommand() {
        Instant justInside = NOW.minus(AdoptionPlan.LAUNCH_GRACE).plusMillis(1);

        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted(node("n1", NodeState.STARTING, HOST, justInside)),
                List.of(), HOST, NOW);

        assertEquals(List.of(), steps);
    }

    @Test
    void aStartingNodeExactlyTheGraceOldIsMissing() {
        Instant exactly = NOW.minus(AdoptionPlan.LAUNCH_GRACE);

        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted(node("n1", NodeState.STARTING, HOST, exactly)),
                List.of(), HOST, NOW);

        assertEquals(1, steps.size(), "steps: " + steps);
        assertEquals("n1", assertInstanceOf(AdoptionPlan.Missing.class, steps.get(0)).node());
    }

    @Test
    void aStartingNodeWithoutASinceTimeGetsNoGrace() {
        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted(node("n1", NodeState.STARTING, HOST, null)),
                List.of(), HOST, NOW);

        assertInstanceOf(AdoptionPlan.Missing.class, steps.get(0));
    }

    @Test
    void foundNodesComeFirstThenTheMissingOnes() {
        RunningNode keep = alive("keep");
        Map<String, Node> wanted = wanted(node("keep", NodeState.ONLINE, HOST, LONG_AGO),
                node("lost", NodeState.ONLINE, HOST, LONG_AGO));

        List<AdoptionPlan.Step> steps = AdoptionPlan.plan(wanted, List.of(alive("stray"), keep), HOST, NOW);

        assertEquals(List.of("stray", "keep", "lost"), steps.stream().map(AdoptionPlan.Step::node).toList());
        assertInstanceOf(AdoptionPlan.Remove.class, steps.get(0));
        assertInstanceOf(AdoptionPlan.Adopt.class, steps.get(1));
        assertInstanceOf(AdoptionPlan.Missing.class, steps.get(2));
    }

    @Test
    void nothingFoundAndNothingWantedIsAnEmptyPlan() {
        assertEquals(List.of(), AdoptionPlan.plan(Map.of(), List.of(), HOST, NOW));
    }
}
