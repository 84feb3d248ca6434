package cms.rm.model;

import static cms.rm.model.CloudFixtures.PLACEMENT;
import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.enable;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.imagePod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.model.Pod;
import cms.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bound on a failing image: an elastic pod (min 2) whose image exits at once, run for 10 minutes of
 * fake-clock time, one resource manager tick a second, with an elasticity service that asks every
 * second for the pod's minimum (as it did when FAILED nodes did not count). Every launch fails at once.
 * Each node is launched again after 10, 20, 40, 80, 160 s (6 launches in 10 minutes instead of one a
 * second), the pod never has more than its 2 nodes, and its snapshot stays under 2 KiB.
 */
class CrashLoopBoundTest {

    private static final int SECONDS = 600;
    private static final int MAX_SNAPSHOT_BYTES = 2048;

    private final MutableClock clock = new MutableClock(T0);
    private final ScalingDecisions scaling = new ScalingDecisions(PLACEMENT);
    private final EventCodec codec = new EventCodec();
    private final Map<String, List<Long>> launches = new LinkedHashMap<>();
    private int mostNodes;
    private int largestSnapshot;

    @Test
    void aFailingImageBacksOffAndItsPodStaysSmall() {
        CloudState s = given(given(imagePod("crash", null, "example/exits-at-once:1", 80, null, null))
                .withHost(host("h1", 64, 65536)), enable("crash", 2, 5));
        for (int second = 0; second <= SECONDS; second++) {
            s = tick(s.withHost(host("h1", 64, 65536, clock.instant())));
            clock.advance(Duration.ofSeconds(1));
        }
        List<Long> expected = List.of(0L, 10L, 30L, 70L, 150L, 310L);
        assertEquals(Map.of("crash-1", expected, "crash-2", expected), launches, "launch seconds per node");
        assertEquals(2, mostNodes, "nodes in the pod");
        assertTrue(largestSnapshot <= MAX_SNAPSHOT_BYTES, "snapshot of " + largestSnapshot + " bytes");
        System.out.printf("failing image, 10 min: %d launches (2 nodes), at most %d nodes, snapshot at most %d bytes%n",
                launches.values().stream().mapToInt(List::size).sum(), mostNodes, largestSnapshot);
    }

    /** One second: the elasticity decision, the repairs, and the daemon failing every launch at once. */
    private CloudState tick(CloudState before) {
        List<NodeCommand> commands = new ArrayList<>();
        Outcome scaled = scaling.apply(before, new ScalingDecision(id(), 1, clock.instant(), "crash", "cpu", 0, 0, 2,
                "below min 2"), clock.instant());
        commands.addAll(scaled.commands());
        Outcome repaired = NodeRepairs.plan(scaled.state(), clock.instant(), RepairSettings.DEFAULTS, PLACEMENT);
        commands.addAll(repaired.commands());
        CloudState s = repaired.state();
        for (NodeCommand c : commands) {
            if (c instanceof NodeCommand.LaunchNode l) {
                launches.computeIfAbsent(l.node(), k -> new ArrayList<>())
                        .add(Duration.between(T0, clock.instant()).toSeconds());
                s = ObservedDecisions.apply(s, new NodeEvent.NodeFailed(id(), 1, clock.instant(), l.node(), l.pod(),
                        l.hostId(), "exit 1", 1), clock.instant()).state();
            }
        }
        Pod pod = s.requirePod("crash");
        mostNodes = Math.max(mostNodes, pod.nodes().size());
        largestSnapshot = Math.max(largestSnapshot, codec.encode(new PodsRecord.PodSnapshot(id(), 1, clock.instant(),
                pod)).length);
        return s;
    }
}
