package cms.elasticity.policy;

import java.time.Duration;

/**
 * How one pod is sized: bounds, the mode and its numbers, and the time rules. {@code THRESHOLD} is the
 * original system's rule (above {@code upper} grow, below {@code lower} shrink); {@code TARGET} keeps
 * the metric near {@code target}, as Kubernetes' HPA and Nomad's target-value strategy do. A scale-out
 * needs its reason to hold for {@code scaleOutWindow}; a scale-in takes the largest size recommended
 * during {@code scaleInWindow} (so one quiet second does not shrink the pod); after a change, more of
 * the same direction waits for its cool-down.
 */
public record ScalingPolicy(int min, int max, Mode mode, Step step, double lower, double upper, double target,
                            double tolerance, Duration scaleOutWindow, Duration scaleInWindow,
                            Duration scaleOutCooldown, Duration scaleInCooldown) {

    public enum Mode { THRESHOLD, TARGET }

    /** Threshold mode: one node at a time, or as many as bring the metric back inside the band. */
    public enum Step { ONE, PROPORTIONAL }

    /** Defaults that suit the demo workloads: react within seconds, shrink only after a quiet half-minute. */
    public static ScalingPolicy threshold(int min, int max, double lower, double upper) {
        return new ScalingPolicy(min, max, Mode.THRESHOLD, Step.ONE, lower, upper, 0, 0.1, Duration.ofSeconds(3),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    public static ScalingPolicy target(int min, int max, double target) {
        return new ScalingPolicy(min, max, Mode.TARGET, Step.PROPORTIONAL, 0, 0, target, 0.1, Duration.ofSeconds(3),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    public ScalingPolicy withStep(Step newStep) {
        return new ScalingPolicy(min, max, mode, newStep, lower, upper, target, tolerance, scaleOutWindow,
                scaleInWindow, scaleOutCooldown, scaleInCooldown);
    }

    public ScalingPolicy withWindows(Duration out, Duration in, Duration outCooldown, Duration inCooldown) {
        return new ScalingPolicy(min, max, mode, step, lower, upper, target, tolerance, out, in, outCooldown,
                inCooldown);
    }
}
