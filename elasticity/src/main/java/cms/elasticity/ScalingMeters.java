package cms.elasticity;

import cms.core.event.Event;
import cms.core.event.ScalingDecision;
import cms.core.metrics.EventTap;
import cms.core.model.ElasticityPolicy;
import cms.core.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The elasticity service's decisions as a counter, from those it publishes: by pod, direction ({@code up},
 * {@code down}), the metric that drove it, and the path that decided it as a short category ({@link #path}), never
 * the decision's sentence, so that the label values stay few.
 */
public final class ScalingMeters implements EventTap {

    /** The fast path's decisions begin so ({@link cms.elasticity.policy.Stabilizer}). */
    static final String FAST_PREFIX = "fast path:";
    /** A size outside [MIN, MAX] brought back inside says so ({@link cms.elasticity.policy.Stabilizer}). */
    static final String BOUNDS_WORDS = " is outside [";
    /** A pod woken at 0 nodes by requests waiting says so ({@link cms.elasticity.policy.Stabilizer#wake}). */
    static final String ZERO_PREFIX = "from zero:";
    /** The metrics a decision may name: the policy's, and demand mode's and scale from zero's own. */
    static final java.util.List<String> METRICS = java.util.stream.Stream.concat(ElasticityPolicy.METRICS.stream(),
            java.util.stream.Stream.of(ScalingEvaluator.DEMAND, ScalingEvaluator.WAITING)).toList();

    private final MeterRegistry registry;

    public ScalingMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void published(Topics topic, Event event) {
        if (event instanceof ScalingDecision d && d.toNodes() != d.fromNodes()) {
            Counter.builder("cms.scaling.decisions").description("Scaling decisions, by direction and path")
                    .tag("pod", d.pod()).tag("direction", d.toNodes() > d.fromNodes() ? "up" : "down")
                    .tag("reason", path(d.reason())).tag("metric", METRICS.contains(d.metric()) ? d.metric() : "other")
                    .register(registry).increment();
        }
    }

    /**
     * {@code fast} (the fast path), {@code zero} (woken at 0 nodes by waiting requests), {@code bounds} (back inside
     * [MIN, MAX]) or {@code normal} (the smoothed path).
     */
    static String path(String reason) {
        if (reason == null) {
            return "normal";
        }
        if (reason.startsWith(FAST_PREFIX)) {
            return "fast";
        }
        if (reason.startsWith(ZERO_PREFIX)) {
            return "zero";
        }
        return reason.contains(BOUNDS_WORDS) ? "bounds" : "normal";
    }
}
