package cms.elasticity.sim;

import cms.elasticity.policy.Metric;
import cms.elasticity.policy.Recommendation;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.policy.Stabilizer;
import cms.elasticity.policy.Strategies;
import java.util.Optional;

/**
 * Our policy: the elasticity service's own decision code ({@link Strategies} then {@link Stabilizer}, the normal
 * path on the smoothed value, the fast path on the last second),
 * evaluated every second (the service's default {@code CMS_ELASTICITY_EVAL_MS}) on the CPU metric, with
 * the metric measured on the supplied nodes and the current size counting STARTING ones too, as
 * {@code ElasticityLoop} does.
 */
public final class PolicyScaler implements Scaler {

    private final ScalingPolicy policy;
    private final Stabilizer stabilizer = new Stabilizer();

    public PolicyScaler(ScalingPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String name() {
        return "cms-" + policy.mode().name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public int decide(Observation o) {
        return stabilizer.decide(normal(o, policy), surge(o, policy), o.current(), policy, o.now()).to();
    }

    /** The normal path's recommendation on the smoothed CPU. */
    static Recommendation normal(Observation o, ScalingPolicy policy) {
        return o.utilisation().isPresent()
                ? Strategies.recommend(Metric.CPU, o.utilisation().getAsDouble(), o.supplied(), o.current(), policy)
                : new Recommendation(o.current(), "no cpu samples yet");
    }

    /** The fast path's reading of the last second's CPU. */
    static Optional<Recommendation> surge(Observation o, ScalingPolicy policy) {
        return o.last().isPresent()
                ? Strategies.surge(Metric.CPU, o.last().getAsDouble(), o.supplied(), o.current(), policy)
                : Optional.empty();
    }
}
