package cms.nodedaemon.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.nodedaemon.driver.RunningNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecoveryPlanTest {

    private static RunningNode found(String node, boolean running) {
        return new RunningNode(node, "web", "c-" + node, running, "127.0.0.1", 20000, running ? null : 143, false, 0.5);
    }

    @Test
    void watchedNodesAreKeptOrStartedAgainGoneOnesReportedAndStrayOnesRemoved() {
        List<RecoveryPlan.Step> plan = RecoveryPlan.plan(Set.of("up", "stopped", "lost"),
                List.of(found("stopped", false), found("up", true), found("stray", true), found("stray-exited", false)));

        assertEquals(List.of(new RecoveryPlan.Gone("lost"), new RecoveryPlan.Restart("stopped"),
                new RecoveryPlan.Keep("up"), new RecoveryPlan.Remove("stray"), new RecoveryPlan.Remove("stray-exited")),
                plan);
    }

    @Test
    void nothingWatchedAndNothingFoundIsAnEmptyPlan() {
        assertEquals(List.of(), RecoveryPlan.plan(Set.of(), List.of()));
    }
}
