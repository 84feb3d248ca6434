package cms.web.model;

import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.event.ScalingDecision;
import cms.core.model.Pod;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** What the live view keeps about one pod besides its state: samples of the window and recent events. */
final class PodBuffers {

    static final int DECISIONS = 50;
    static final int EVENTS = 100;
    static final int JOBS = 200;
    private static final int SAMPLES = 2_000;

    final Ring<MetricSample.PodSample> podSamples;
    final Map<String, Ring<MetricSample.NodeSample>> nodeSamples = new HashMap<>();
    final Map<String, Ring<MetricSample.ServerSample>> serverSamples = new HashMap<>();
    final Ring<SizePoint> sizes;
    final Ring<ScalingDecision> decisions = Ring.lastN(DECISIONS);
    final Ring<NodeEvent> nodeEvents = Ring.lastN(EVENTS);
    final Ring<JobEvent> jobEvents = Ring.lastN(EVENTS);
    final RecentJobs jobs = new RecentJobs(JOBS);
    private final long windowMillis;
    private Instant lastEvent = Instant.MIN;

    PodBuffers(long windowMillis) {
        this.windowMillis = windowMillis;
        this.podSamples = Ring.window(2 * SAMPLES, windowMillis, MetricSample.PodSample::at);
        this.sizes = Ring.window(SAMPLES, windowMillis, SizePoint::at);
    }

    void add(MetricSample.NodeSample s) {
        nodeSamples.computeIfAbsent(s.node(), n -> Ring.window(SAMPLES, windowMillis, MetricSample.NodeSample::at))
                .add(s);
    }

    void add(MetricSample.ServerSample s) {
        serverSamples.computeIfAbsent(s.node(), n -> Ring.window(SAMPLES, windowMillis,
                MetricSample.ServerSample::at)).add(s);
    }

    /** Notes when the latest event about the pod happened. */
    void touched(Instant at) {
        if (at.isAfter(lastEvent)) {
            lastEvent = at;
        }
    }

    /** Whether no event about the pod happened at or after {@code from}. */
    boolean quietSince(Instant from) {
        return lastEvent.isBefore(from);
    }

    /** Records the pod's node counts when they changed. */
    void sized(Pod pod, Instant at) {
        SizePoint p = SizePoint.of(pod, at);
        SizePoint last = sizes.last();
        if (last == null || !last.sameCounts(p)) {
            sizes.add(p);
        }
    }

    void prune(Instant now, Pod pod) {
        podSamples.prune(now);
        sizes.prune(now);
        nodeSamples.values().forEach(r -> r.prune(now));
        serverSamples.values().forEach(r -> r.prune(now));
        nodeSamples.values().removeIf(Ring::isEmpty);
        serverSamples.values().removeIf(Ring::isEmpty);
        if (pod != null && sizes.isEmpty()) {
            sizes.add(SizePoint.of(pod, now)); // the count held all through the window
        }
    }
}
