package cms.balancer;

import cms.core.event.Event;
import cms.core.event.MetricSample;
import cms.core.metrics.EventTap;
import cms.core.metrics.LabelledGauges;
import cms.core.topic.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;

/**
 * Each pod's traffic through its frontend as gauges, from the samples the balancer publishes: requests and errors per
 * second (the balancer measures rates between its readings), requests in flight and queued, and response times
 * (p50, p95, p99 where the backend keeps a histogram, the mean where it does not). A pod's series go when it has not
 * been sampled for {@link #STALE} (the balancer samples every pod it serves each second).
 */
public final class BalancerMeters implements EventTap {

    static final Duration STALE = Duration.ofSeconds(30);

    private final LabelledGauges requests;
    private final LabelledGauges errors;
    private final LabelledGauges inFlight;
    private final LabelledGauges queued;
    private final LabelledGauges responseTime;

    public BalancerMeters(MeterRegistry registry) {
        this.requests = new LabelledGauges(registry, "cms.pod.requests.per.second",
                "Requests per second through a pod's frontend", null);
        this.errors = new LabelledGauges(registry, "cms.pod.errors.per.second",
                "Failed requests per second through a pod's frontend", null);
        this.inFlight = new LabelledGauges(registry, "cms.pod.requests.in.flight", "Requests a pod's nodes are serving",
                null);
        this.queued = new LabelledGauges(registry, "cms.pod.requests.queued",
                "Requests waiting in a pod's frontend for a node", null);
        this.responseTime = new LabelledGauges(registry, "cms.pod.response.time",
                "Response time of a pod's requests, by percentile (p50, p95, p99) or mean", "seconds");
    }

    @Override
    public synchronized void published(Topics topic, Event event) {
        if (!(event instanceof MetricSample.PodSample s) || s.jobQueueDepth() != null) {
            return;
        }
        Tags pod = Tags.of("pod", s.pod());
        Instant at = s.at();
        set(requests, pod, s.requestsPerSecond(), at);
        set(errors, pod, s.errorsPerSecond(), at);
        set(inFlight, pod, s.inFlight(), at);
        set(queued, pod, s.queued(), at);
        set(responseTime, pod.and("percentile", "p50"), millis(s.p50Ms()), at);
        set(responseTime, pod.and("percentile", "p95"), millis(s.p95Ms()), at);
        set(responseTime, pod.and("percentile", "p99"), millis(s.p99Ms()), at);
        set(responseTime, pod.and("percentile", "mean"), millis(s.meanResponseMs()), at);
        Instant cutoff = at.minus(STALE);
        for (LabelledGauges g : new LabelledGauges[] {requests, errors, inFlight, queued, responseTime}) {
            g.removeOlderThan(cutoff);
        }
    }

    private static void set(LabelledGauges gauges, Tags tags, Number value, Instant at) {
        if (value != null) {
            gauges.set(tags, value.doubleValue(), at);
        }
    }

    private static Double millis(Double ms) {
        return ms == null ? null : ms / 1000;
    }
}
