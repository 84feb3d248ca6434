package cms.elasticity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Start-up times as the pods show them: from NEW or STARTING to ONLINE, the median of the last five. */
class StartupTimesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private final StartupTimes times = new StartupTimes();

    private static Node node(String name, NodeState state, int since) {
        return new Node(name, "web", state, "h1", null, null, false, null, T0.plusSeconds(since));
    }

    private static Map<String, Pod> pod(Node... nodes) {
        return Map.of("web", new Pod("web", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false,
                ElasticityPolicy.disabled(), List.of(nodes), T0));
    }

    @Test
    void aNodeSeenStartingThenOnlineGivesItsStartUpAndOneSeenOnlyOnlineGivesNone() {
        times.observe(pod(node("web-1", NodeState.NEW, 10), node("web-2", NodeState.ONLINE, 3)));
        times.observe(pod(node("web-1", NodeState.STARTING, 11), node("web-2", NodeState.ONLINE, 3)));
        assertEquals(Optional.empty(), times.of("web"));
        times.observe(pod(node("web-1", NodeState.ONLINE, 14), node("web-2", NodeState.ONLINE, 3)));
        assertEquals(Optional.of(Duration.ofSeconds(4)), times.of("web"), "from NEW at 10 to ONLINE at 14");
        times.observe(pod(node("web-1", NodeState.ONLINE, 14)));
        assertEquals(Optional.of(Duration.ofSeconds(4)), times.of("web"), "counted once");
    }

    @Test
    void theMedianOfTheLastFiveAndNothingOfAPodThatIsGone() {
        int[] took = {30, 2, 3, 2, 40, 3};
        for (int i = 0; i < took.length; i++) {
            times.observe(pod(node("web-" + i, NodeState.STARTING, 100 * i)));
            times.observe(pod(node("web-" + i, NodeState.ONLINE, 100 * i + took[i])));
        }
        assertEquals(Optional.of(Duration.ofSeconds(3)), times.of("web"), "2, 3, 2, 40, 3: the first 30 s is forgotten");
        times.observe(pod(node("web-9", NodeState.STARTING, 900)));
        times.observe(pod(node("web-9", NodeState.FAILED, 905)));
        times.observe(pod(node("web-9", NodeState.ONLINE, 990)));
        assertEquals(Optional.of(Duration.ofSeconds(3)), times.of("web"), "a node that failed on its way is no start-up");
        times.observe(Map.of());
        assertEquals(Optional.empty(), times.of("web"));
    }
}
