package cms.rm.metrics;

import cms.core.event.Event;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.metrics.EventTap;
import cms.core.metrics.LabelledGauges;
import cms.core.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resource manager's jobs, from the events it publishes: jobs ended by status ({@code succeeded}, {@code failed},
 * {@code aborted}) with the time from submission to the end as a histogram, and each pod's queue depth and
 * running jobs (its job samples). A removed pod's series go with its tombstone.
 */
public final class JobMeters implements EventTap {

    /** Histogram buckets of a job's time from submission to its end, in seconds. */
    static final double[] BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};
    /** Jobs whose submission time is kept until they end (as many as the resource manager's job history). */
    static final int TRACKED = 200_000;
    /** A pod's job gauges go when the resource manager has not sampled it for this long. */
    static final Duration STALE = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final LabelledGauges queued;
    private final LabelledGauges running;
    private final Map<String, Instant> submitted = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > TRACKED;
        }
    };

    public JobMeters(MeterRegistry registry) {
        this.registry = registry;
        this.queued = new LabelledGauges(registry, "cms.job.queue.depth", "Jobs of a pod waiting to be sent", null);
        this.running = new LabelledGauges(registry, "cms.jobs.running", "Jobs of a pod sent and not answered", null);
    }

    @Override
    public synchronized void published(Topics topic, Event event) {
        if (event instanceof MetricSample.PodSample s && s.jobQueueDepth() != null) {
            queued.set(Tags.of("pod", s.pod()), s.jobQueueDepth(), s.at());
            running.set(Tags.of("pod", s.pod()), s.jobsRunning() == null ? 0 : s.jobsRunning(), s.at());
            queued.removeOlderThan(s.at().minus(STALE));
            running.removeOlderThan(s.at().minus(STALE));
        } else if (event instanceof JobEvent.JobQueued q) {
            submitted.putIfAbsent(q.jobId(), q.submittedAt() != null ? q.submittedAt() : q.at());
        } else if (event instanceof JobEvent e && e.terminal()) {
            ended(e, status(e));
        }
    }

    /** The pod label of a job that named none. */
    static final String NO_POD = "none";

    private void ended(JobEvent e, String status) {
        // a job refused for naming no pod ends with none: counted under "none" (a null label would throw)
        Tags tags = Tags.of("pod", e.pod() == null ? NO_POD : e.pod(), "status", status);
        Counter.builder("cms.jobs.ended").description("Jobs ended, by status").tags(tags).register(registry)
                .increment();
        Instant from = submitted.remove(e.jobId());
        if (from != null) {
            Timer.builder("cms.job.duration").description("Time from a job's submission to its end")
                    .serviceLevelObjectives(buckets()).tags(tags).register(registry)
                    .record(Duration.between(from, e.at()).isNegative() ? Duration.ZERO : Duration.between(from, e.at()));
        }
    }

    @Override
    public synchronized void removed(Topics topic, String key) {
        if (topic == Topics.PODS) {
            queued.removeIf(t -> LabelledGauges.has(t, "pod", key));
            running.removeIf(t -> LabelledGauges.has(t, "pod", key));
            for (Meter m : registry.getMeters()) {
                if (key.equals(m.getId().getTag("pod")) && m.getId().getName().startsWith("cms.job")) {
                    registry.remove(m);
                }
            }
        }
    }

    static String status(JobEvent e) {
        if (e instanceof JobEvent.JobSucceeded) {
            return "succeeded";
        }
        return e instanceof JobEvent.JobFailed ? "failed" : "aborted";
    }

    private static Duration[] buckets() {
        Duration[] out = new Duration[BUCKETS.length];
        for (int i = 0; i < BUCKETS.length; i++) {
            out[i] = Duration.ofNanos((long) (BUCKETS[i] * 1e9));
        }
        return out;
    }
}
