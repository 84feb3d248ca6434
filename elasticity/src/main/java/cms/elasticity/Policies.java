package cms.elasticity;

import cms.core.model.ElasticityPolicy;
import cms.elasticity.policy.ScalingPolicy;

/** A pod's stored elasticity settings, with the service's time rules, as the decision code's policy. */
final class Policies {

    private Policies() {
    }

    static ScalingPolicy of(ElasticityPolicy e, ElasticityConfig config) {
        ScalingPolicy p = e.modeOrDefault().equals("target") && e.target() != null
                ? ScalingPolicy.target(e.min(), e.max(), e.target())
                : ScalingPolicy.threshold(e.min(), e.max(), e.lowerThreshold(), e.upperThreshold())
                        .withStep(e.stepOrDefault().equals("proportional") ? ScalingPolicy.Step.PROPORTIONAL
                                : ScalingPolicy.Step.ONE);
        return p.withWindows(config.scaleOutWindow(), config.scaleInWindow(), config.scaleOutCooldown(),
                config.scaleInCooldown());
    }
}
