package cms.elasticity;

import cms.core.event.MetricSample;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Requests per second per ONLINE node of a pod, from the balancer's pod samples averaged over the
 * smoothing window. Samples without a request rate (the resource manager's queue samples) are ignored.
 */
final class PodRequestRate {

    private final Duration smoothing;
    private final Map<String, Deque<MetricSample.PodSample>> byPod = new HashMap<>();

    PodRequestRate(Duration smoothing) {
        this.smoothing = smoothing;
    }

    void add(MetricSample.PodSample s) {
        if (s.requestsPerSecond() != null) {
            byPod.computeIfAbsent(s.pod(), p -> new ArrayDeque<>()).addLast(s);
        }
    }

    OptionalDouble of(Pod pod, Instant now) {
        Deque<MetricSample.PodSample> samples = byPod.get(pod.name());
        long online = pod.nodes().stream().filter(n -> n.state() == NodeState.ONLINE).count();
        if (samples == null || online == 0) {
            return OptionalDouble.empty();
        }
        while (!samples.isEmpty() && samples.peekFirst().at().isBefore(now.minus(smoothing))) {
            samples.removeFirst();
        }
        OptionalDouble mean = samples.stream().mapToDouble(MetricSample.PodSample::requestsPerSecond).average();
        return mean.isPresent() ? OptionalDouble.of(mean.getAsDouble() / online) : mean;
    }

    void forgetMissing(Map<String, Pod> pods) {
        byPod.keySet().removeIf(p -> !pods.containsKey(p));
    }
}
