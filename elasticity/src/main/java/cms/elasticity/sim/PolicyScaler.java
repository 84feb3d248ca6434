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
        int current = o.current();
        Recommendation rec = o.utilisation().isPresent()
                ? Strategies.recommend(Metric.CPU, o.utilisation().getAsDouble(), o.supplied(), current, policy)
                : new Recommendation(current, "no cpu samples yet");
        Optional<Recommendation> surge = o.last().isPresent()
                ? Strategies.surge(Metric.CPU, o.last().getAsDouble(), o.supplied(), current, policy) : Optional.empty();
        return stabilizer.decide(rec, surge, current, policy, o.now()).to();
    }
}
