package cms.elasticity;

import cms.core.event.MetricSample;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A pod's samples from its balancer (traffic) and from the resource manager (jobs), kept over the
 * longest window asked for, and the metrics made from them over a window, each the mean of the samples that
 * measured it.
 * {@code ready} is the pod's ONLINE nodes: rps and latency need one; the queue does not, so that a
 * pod at 0 nodes sees its jobs waiting.
 */
final class PodTraffic {

    private final Duration keep;
    private final Map<String, Deque<MetricSample.PodSample>> byPod = new HashMap<>();

    /** {@code keep}: the longest window asked for. */
    PodTraffic(Duration keep) {
        this.keep = keep;
    }

    void add(MetricSample.PodSample s) {
        Samples.add(byPod, s.pod(), s);
    }

    int samplesKept() {
        return Samples.count(byPod);
    }

    /** Drops the samples older than the longest window, of every pod, evaluated or not. */
    void prune(Instant now) {
        Samples.prune(byPod, now.minus(keep), MetricSample.PodSample::at);
    }

    /** Requests per second per ONLINE node. */
    OptionalDouble requestRate(String pod, int ready, Instant now, Duration window) {
        return ready == 0 ? OptionalDouble.empty()
                : perNode(mean(pod, now, window, MetricSample.PodSample::requestsPerSecond), ready);
    }

    /** Requests per second to the whole pod, with or without a node to serve them. */
    OptionalDouble totalRate(String pod, Instant now, Duration window) {
        return mean(pod, now, window, MetricSample.PodSample::requestsPerSecond);
    }

    /** The p95 response time in ms where the balancer measures one, else its mean response time. */
    OptionalDouble latency(String pod, int ready, Instant now, Duration window) {
        return ready == 0 ? OptionalDouble.empty() : mean(pod, now, window, LATENCY);
    }

    /** Jobs queued and running per ONLINE node, at least one: with no node, the whole queue. */
    OptionalDouble queue(String pod, int ready, Instant now, Duration window) {
        return perNode(mean(pod, now, window, QUEUED), Math.max(1, ready));
    }

    /** A sample's response time in ms: its p95 where the balancer measures one, else its mean. */
    static final Function<MetricSample.PodSample, Double> LATENCY = s -> s.p95Ms() != null ? s.p95Ms()
            : s.meanResponseMs();
    /** A sample's jobs queued and running. */
    static final Function<MetricSample.PodSample, Double> QUEUED = s -> s.jobQueueDepth() == null ? null
            : s.jobQueueDepth() + (double) Objects.requireNonNullElse(s.jobsRunning(), 0);
    static final Function<MetricSample.PodSample, Double> RATE = MetricSample.PodSample::requestsPerSecond;

    /** The newest sample within {@code window} that measures {@code field}, with its time; empty when none does. */
    Optional<Reading> newest(String pod, Instant now, Duration window, Function<MetricSample.PodSample, Double> field) {
        Deque<MetricSample.PodSample> samples = byPod.get(pod);
        if (samples == null) {
            return Optional.empty();
        }
        Instant from = now.minus(window);
        return samples.stream().filter(x -> !x.at().isBefore(from) && field.apply(x) != null)
                .max(java.util.Comparator.comparing(MetricSample.PodSample::at))
                .map(x -> new Reading(field.apply(x), x.at()));
    }

    /**
     * The requests the pod's balancer holds for it now (its latest sample within {@code window} that says so); empty
     * when no sample in the window does: no balancer reports the pod, or its balancer does not hold its requests.
     */
    OptionalInt waiting(String pod, Instant now, Duration window) {
        Deque<MetricSample.PodSample> samples = byPod.get(pod);
        if (samples == null) {
            return OptionalInt.empty();
        }
        Instant from = now.minus(window);
        var latest = samples.stream().filter(x -> !x.at().isBefore(from) && x.waiting() != null)
                .max(java.util.Comparator.comparing(MetricSample.PodSample::at));
        return latest.isPresent() ? OptionalInt.of(latest.get().waiting()) : OptionalInt.empty();
    }

    void forgetMissing(Map<String, Pod> pods) {
        byPod.keySet().removeIf(p -> !pods.containsKey(p));
    }

    private OptionalDouble mean(String pod, Instant now, Duration window, Function<MetricSample.PodSample, Double> field) {
        Deque<MetricSample.PodSample> samples = byPod.get(pod);
        if (samples == null) {
            return OptionalDouble.empty();
        }
        Instant from = now.minus(window);
        return samples.stream().filter(x -> !x.at().isBefore(from)).map(field).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).average();
    }

    private static OptionalDouble perNode(OptionalDouble total, int nodes) {
        return total.isPresent() ? OptionalDouble.of(total.getAsDouble() / nodes) : total;
    }
}
