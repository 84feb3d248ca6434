package cms.elasticity;

import cms.core.event.MetricSample;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Pod utilisation from node samples: each ONLINE node's CPU use as a share of its limit, averaged over
 * a window (the smoothing, or the fast path's last second; samples are kept for the longest), then averaged over the pod's ONLINE nodes. Nodes without a recent sample are
 * left out; a pod none of whose ONLINE nodes has one has no value yet.
 */
final class PodUtilisation {

    private final Duration keep;
    private final Map<String, Deque<MetricSample.NodeSample>> byNode = new HashMap<>();

    /** {@code keep}: the longest window asked for. */
    PodUtilisation(Duration keep) {
        this.keep = keep;
    }

    void add(MetricSample.NodeSample s) {
        Samples.add(byNode, s.node(), s);
    }

    int samplesKept() {
        return Samples.count(byNode);
    }

    /** Drops the samples older than the longest window, of every node, evaluated or not. */
    void prune(Instant now) {
        Samples.prune(byNode, now.minus(keep), MetricSample.NodeSample::at);
    }

    /** The mean over the {@code window} before {@code now} (at most the longest window kept). */
    OptionalDouble of(Pod pod, Instant now, Duration window) {
        Instant from = now.minus(window);
        double sum = 0;
        int nodes = 0;
        for (Node n : pod.nodes()) {
            Deque<MetricSample.NodeSample> samples = byNode.get(n.name());
            if (n.state() != NodeState.ONLINE || samples == null) {
                continue;
            }
            OptionalDouble mean = samples.stream().filter(x -> !x.at().isBefore(from))
                    .mapToDouble(MetricSample.NodeSample::cpuShare).average();
            if (mean.isPresent()) {
                sum += mean.getAsDouble();
                nodes++;
            }
        }
        return nodes == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / nodes);
    }

    /**
     * The mean of each ONLINE node's newest sample within {@code window}, as of the oldest of them (a reading is as old
     * as its oldest part: it is new only once every node has sampled again); empty when no ONLINE node has one.
     */
    Optional<Reading> newest(Pod pod, Instant now, Duration window) {
        Instant from = now.minus(window);
        List<MetricSample.NodeSample> latest = pod.nodes().stream()
                .filter(n -> n.state() == NodeState.ONLINE && byNode.containsKey(n.name()))
                .flatMap(n -> byNode.get(n.name()).stream().filter(x -> !x.at().isBefore(from))
                        .max(Comparator.comparing(MetricSample.NodeSample::at)).stream())
                .toList();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Reading(latest.stream().mapToDouble(MetricSample.NodeSample::cpuShare).average()
                .orElseThrow(), latest.stream().map(MetricSample.NodeSample::at).min(Comparator.naturalOrder()).orElseThrow()));
    }

    /** The highest single sample of the pod's ONLINE nodes over the {@code window} before {@code now}. */
    OptionalDouble highest(Pod pod, Instant now, Duration window) {
        Instant from = now.minus(window);
        return pod.nodes().stream().filter(n -> n.state() == NodeState.ONLINE && byNode.containsKey(n.name()))
                .flatMap(n -> byNode.get(n.name()).stream()).filter(x -> !x.at().isBefore(from))
                .mapToDouble(MetricSample.NodeSample::cpuShare).max();
    }

    void forgetMissing(Map<String, Pod> pods) {
        byNode.keySet().removeIf(node -> pods.values().stream().noneMatch(p -> p.node(node).isPresent()));
    }
}
