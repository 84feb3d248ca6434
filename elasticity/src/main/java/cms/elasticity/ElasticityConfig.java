package cms.elasticity;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import cms.elasticity.policy.ScalingPolicy;
import java.time.Duration;

/**
 * Settings of the elasticity service: {@code CMS_KAFKA}; {@code CMS_ELASTICITY_EVAL_MS} (default 1000:
 * how often every pod is evaluated; a pod is also evaluated as soon as a sample about it is read); {@code CMS_ELASTICITY_SMOOTHING_MS} (default 3000: a node's
 * utilisation is the mean of its samples over this window);
 * {@code CMS_ELASTICITY_SURGE_FACTOR} (default 2: the fast path takes a last second at that many times the upper
 * threshold or the target, or a saturated CPU, as a jump; 0 turns the fast path off); and the policy's time rules
 * {@code CMS_ELASTICITY_SCALE_OUT_WINDOW_MS} (2000), {@code CMS_ELASTICITY_SCALE_IN_WINDOW_MS} (30000),
 * {@code CMS_ELASTICITY_SCALE_OUT_COOLDOWN_MS} (5000), {@code CMS_ELASTICITY_SCALE_IN_COOLDOWN_MS} (15000):
 * the defaults of {@link ScalingPolicy}; {@code CMS_ELASTICITY_STARTUP_MS} (5000: in demand mode, how far ahead a
 * rising request rate is met while none of the pod's nodes has yet been seen starting); {@code CMS_ELASTICITY_WARMUP_MS}
 * (10000: in demand mode, a pod's CPU teaches what a node serves only once all its ONLINE nodes have been ONLINE this
 * long, so a runtime's start-up work is not taken for the cost of requests, as HPA's CPU initialization period).
 */
public record ElasticityConfig(KafkaSettings kafka, Duration evaluateEvery, Duration smoothing, Duration scaleOutWindow,
                               Duration scaleInWindow, Duration scaleOutCooldown, Duration scaleInCooldown,
                               double surgeFactor, Duration startup, Duration warmup) {

    public static ElasticityConfig from(Settings s) {
        Duration max = Duration.ofHours(1);
        return new ElasticityConfig(KafkaSettings.from(s),
                s.millis("CMS_ELASTICITY_EVAL_MS", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMinutes(1)),
                s.millis("CMS_ELASTICITY_SMOOTHING_MS", Duration.ofSeconds(3), Duration.ofMillis(500), max),
                s.millis("CMS_ELASTICITY_SCALE_OUT_WINDOW_MS", ScalingPolicy.SCALE_OUT_WINDOW, Duration.ZERO, max),
                s.millis("CMS_ELASTICITY_SCALE_IN_WINDOW_MS", ScalingPolicy.SCALE_IN_WINDOW, Duration.ZERO, max),
                s.millis("CMS_ELASTICITY_SCALE_OUT_COOLDOWN_MS", ScalingPolicy.SCALE_OUT_COOLDOWN, Duration.ZERO, max),
                s.millis("CMS_ELASTICITY_SCALE_IN_COOLDOWN_MS", ScalingPolicy.SCALE_IN_COOLDOWN, Duration.ZERO, max),
                surgeFactor(s),
                s.millis("CMS_ELASTICITY_STARTUP_MS", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(10)),
                s.millis("CMS_ELASTICITY_WARMUP_MS", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10)));
    }

    /** 0 (off), or a factor of at least 1.1 (a surge below the threshold itself would be the normal path). */
    private static double surgeFactor(Settings s) {
        double f = s.decimal("CMS_ELASTICITY_SURGE_FACTOR", ScalingPolicy.SURGE, 0, 100);
        if (f != 0 && f < 1.1) {
            throw new ConfigException("CMS_ELASTICITY_SURGE_FACTOR: " + f
                    + " is neither 0 (no fast path) nor 1.1 or more");
        }
        return f;
    }
}
