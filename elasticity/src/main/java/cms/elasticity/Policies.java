package cms.elasticity;

import cms.core.model.ElasticityPolicy;
import cms.elasticity.policy.Metric;
import cms.elasticity.policy.ScalingPolicy;
import java.time.Duration;
import java.util.Optional;

/**
 * A pod's stored elasticity settings as the decision code's policy, with the pod's own windows and
 * cool-downs where it has them and the service's settings where it has not.
 */
final class Policies {

    private Policies() {
    }

    static ScalingPolicy of(ElasticityPolicy e, ElasticityConfig config) {
        ScalingPolicy p = byDemand(e) ? ScalingPolicy.target(e.min(), e.max(), e.setPointOrDefault())
                : e.modeOrDefault().equals("target") && e.target() != null
                ? ScalingPolicy.target(e.min(), e.max(), e.target())
                : ScalingPolicy.threshold(e.min(), e.max(), e.lowerThreshold(), e.upperThreshold())
                        .withStep(e.stepOrDefault().equals("one") ? ScalingPolicy.Step.ONE
                                : ScalingPolicy.Step.PROPORTIONAL);
        return p.withWindows(seconds(e.scaleOutWindowSeconds(), config.scaleOutWindow()),
                seconds(e.scaleInWindowSeconds(), config.scaleInWindow()),
                seconds(e.scaleOutCooldownSeconds(), config.scaleOutCooldown()),
                seconds(e.scaleInCooldownSeconds(), config.scaleInCooldown())).withSurge(config.surgeFactor());
    }

    /** Demand mode: sized from the request rate, with the CPU set-point as target mode's target. */
    static boolean byDemand(ElasticityPolicy e) {
        return e.modeOrDefault().equals(ElasticityPolicy.DEMAND);
    }

    private static Duration seconds(Integer own, Duration service) {
        return own == null ? service : Duration.ofSeconds(own);
    }

    /** The policy's metric; empty for one this service does not know (set by a newer resource manager). */
    static Optional<Metric> metric(ElasticityPolicy e) {
        try {
            return Optional.of(Metric.of(e.metricOrDefault()));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
