package cms.elasticity;

import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * How long each pod's nodes take to start, as the pods show it: from the first time a node is seen NEW or STARTING
 * (the {@code since} of that state) to its ONLINE {@code since}. A node seen only once ONLINE says nothing. Per pod, the
 * median of the last {@link #KEPT} start-ups: sizing from demand asks for nodes that far ahead of a rising rate.
 */
final class StartupTimes {

    /** Start-ups remembered per pod. */
    static final int KEPT = 5;

    private final Map<String, Instant> launched = new HashMap<>();
    private final Map<String, Deque<Duration>> byPod = new HashMap<>();

    /** Reads the pods' nodes; forgets pods and nodes no longer there (or no longer among {@code pods}). */
    void observe(Map<String, Pod> pods) {
        Set<String> present = new HashSet<>();
        for (Pod pod : pods.values()) {
            observe(pod);
            pod.nodes().forEach(n -> present.add(pod.name() + "/" + n.name()));
        }
        launched.keySet().retainAll(present);
        byPod.keySet().retainAll(pods.keySet());
    }

    /** Reads one pod's nodes, forgetting nothing (a whole {@link #observe(Map)} does). */
    void observe(Pod pod) {
        for (Node n : pod.nodes()) {
            String key = pod.name() + "/" + n.name();
            if ((n.state() == NodeState.NEW || n.state() == NodeState.STARTING) && n.since() != null) {
                launched.merge(key, n.since(), (a, b) -> a.isBefore(b) ? a : b);
            } else if (n.state() == NodeState.ONLINE && n.since() != null && launched.containsKey(key)) {
                Duration took = Duration.between(launched.remove(key), n.since());
                if (!took.isNegative()) {
                    Deque<Duration> kept = byPod.computeIfAbsent(pod.name(), p -> new ArrayDeque<>());
                    kept.addLast(took);
                    while (kept.size() > KEPT) {
                        kept.removeFirst();
                    }
                }
            } else if (n.state() != NodeState.NEW && n.state() != NodeState.STARTING) {
                launched.remove(key);
            }
        }
    }

    /** The median of the pod's last start-ups; empty before one was seen. */
    Optional<Duration> of(String pod) {
        Deque<Duration> kept = byPod.get(pod);
        if (kept == null || kept.isEmpty()) {
            return Optional.empty();
        }
        List<Duration> sorted = kept.stream().sorted().toList();
        return Optional.of(sorted.get(sorted.size() / 2));
    }
}
