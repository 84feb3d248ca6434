package cms.elasticity.policy;

import java.time.Duration;

/**
 * How one pod is sized: bounds, the mode and its numbers, the step, and the time rules. {@code THRESHOLD}
 * is the original system's rule (above {@code upper} grow, below {@code lower} shrink); {@code TARGET}
 * keeps the metric near {@code target}, as Kubernetes' HPA and Nomad's target-value strategy do. A
 * scale-out needs its reason to hold for {@code scaleOutWindow}; a scale-in takes the largest size
 * recommended during {@code scaleInWindow} (so one quiet second does not shrink the pod); after a
 * change, more of the same direction waits for its cool-down. {@code surge}: the fast path's factor (a last second
 * at {@code surge} times the upper threshold or the target is a jump; 0: no fast path).
 */
public record ScalingPolicy(int min, int max, Mode mode, Step step, double lower, double upper, double target,
                            double tolerance, Duration scaleOutWindow, Duration scaleInWindow,
                            Duration scaleOutCooldown, Duration scaleInCooldown, double surge) {

    public enum Mode { THRESHOLD, TARGET }

    /**
     * How far one change goes: {@code ONE} node at a time (the original rule), or {@code PROPORTIONAL}:
     * straight to the size the strategy wants (threshold mode: the metric in the middle of the band).
     */
    public enum Step { ONE, PROPORTIONAL }

    /** A reason to grow must hold this long: three evaluations of a metric already smoothed over 3 s. */
    public static final Duration SCALE_OUT_WINDOW = Duration.ofSeconds(2);
    /** Shrink only to the largest size wanted over the last half-minute. */
    public static final Duration SCALE_IN_WINDOW = Duration.ofSeconds(30);
    /** About what new nodes need to show in the metric: start-up, a sample and the smoothing window. */
    public static final Duration SCALE_OUT_COOLDOWN = Duration.ofSeconds(5);
    public static final Duration SCALE_IN_COOLDOWN = Duration.ofSeconds(15);
    /** Target mode leaves the size alone while the metric is within 10 % of the target, as HPA does. */
    public static final double TOLERANCE = 0.1;
    /** The fast path's default factor, Knative's panic threshold (200 % of the target). */
    public static final double SURGE = 2;

    /** Threshold mode with the default step (proportional) and time rules. */
    public static ScalingPolicy threshold(int min, int max, double lower, double upper) {
        return new ScalingPolicy(min, max, Mode.THRESHOLD, Step.PROPORTIONAL, lower, upper, 0, TOLERANCE,
                SCALE_OUT_WINDOW, SCALE_IN_WINDOW, SCALE_OUT_COOLDOWN, SCALE_IN_COOLDOWN, SURGE);
    }

    public static ScalingPolicy target(int min, int max, double target) {
        return new ScalingPolicy(min, max, Mode.TARGET, Step.PROPORTIONAL, 0, 0, target, TOLERANCE, SCALE_OUT_WINDOW,
                SCALE_IN_WINDOW, SCALE_OUT_COOLDOWN, SCALE_IN_COOLDOWN, SURGE);
    }

    /** The middle of the threshold band: where threshold mode puts the metric when it changes the size. */
    public double middle() {
        return (lower + upper) / 2;
    }

    public ScalingPolicy withStep(Step newStep) {
        return new ScalingPolicy(min, max, mode, newStep, lower, upper, target, tolerance, scaleOutWindow,
                scaleInWindow, scaleOutCooldown, scaleInCooldown, surge);
    }

    public ScalingPolicy withWindows(Duration out, Duration in, Duration outCooldown, Duration inCooldown) {
        return new ScalingPolicy(min, max, mode, step, lower, upper, target, tolerance, out, in, outCooldown,
                inCooldown, surge);
    }

    /** With the fast path's factor {@code factor} (0: none). */
    public ScalingPolicy withSurge(double factor) {
        return new ScalingPolicy(min, max, mode, step, lower, upper, target, tolerance, scaleOutWindow, scaleInWindow,
                scaleOutCooldown, scaleInCooldown, factor);
    }
}
