package cms.elasticity.sim;

import cms.core.model.ElasticityPolicy;
import cms.core.model.Pod;
import cms.elasticity.policy.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bounds and numbers the three scalers share: our policy in {@code mode} (threshold with
 * {@code lower}/{@code upper} and {@code step}, or target with {@code target}) with the service's
 * default time rules; the original rule with {@code lower}/{@code upper}; HPA with {@code target}.
 * Validated as the resource manager validates a pod's elasticity, except that MIN is at least 1: the
 * simulated metric comes from supplied nodes, so a pod at 0 nodes would never see load again.
 */
public record SimulationSettings(ScalingPolicy.Mode mode, ScalingPolicy.Step step, int min, int max, double lower,
                                 double upper, double target, double demand) {

    public static final int DEFAULT_MIN = 1;
    public static final int DEFAULT_MAX = Pod.DEFAULT_NODE_LIMIT;
    /** Kubernetes' walkthrough value, and the middle of the default threshold band. */
    public static final double DEFAULT_TARGET = 0.5;

    public SimulationSettings {
        if (min < 1) {
            throw new IllegalArgumentException("--min " + min + " must be 1 or more");
        }
        if (max < min) {
            throw new IllegalArgumentException("--max " + max + " is below --min " + min);
        }
        if (!(lower >= 0 && upper <= 1 && upper - lower >= ElasticityPolicy.MIN_GAP - 1e-9)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--lower %s and --upper %s must be within "
                    + "[0, 1] and at least %s apart, lower below upper", lower, upper, ElasticityPolicy.MIN_GAP));
        }
        if (!(demand >= 0 && demand <= 1)) {
            throw new IllegalArgumentException("--demand " + demand + " must be within [0, 1] (0: no demand scaler)");
        }
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("--target " + target + " must be above 0 and at most 1 (a share of "
                    + "each node's CPU)");
        }
    }

    /** Without the demand-sized scaler. */
    public SimulationSettings(ScalingPolicy.Mode mode, ScalingPolicy.Step step, int min, int max, double lower,
                              double upper, double target) {
        this(mode, step, min, max, lower, upper, target, 0);
    }

    /** The same with the demand-sized scaler at {@code setPoint} of each node's capacity (0: none). */
    public SimulationSettings withDemand(double setPoint) {
        return new SimulationSettings(mode, step, min, max, lower, upper, target, setPoint);
    }

    public static SimulationSettings defaults() {
        return new SimulationSettings(ScalingPolicy.Mode.THRESHOLD, ScalingPolicy.Step.PROPORTIONAL, DEFAULT_MIN, DEFAULT_MAX,
                ElasticityPolicy.DEFAULT_LOWER, ElasticityPolicy.DEFAULT_UPPER, DEFAULT_TARGET);
    }

    /** Our policy as the service builds it for these settings, with its default windows and cool-downs. */
    public ScalingPolicy policy() {
        return mode == ScalingPolicy.Mode.TARGET ? ScalingPolicy.target(min, max, target)
                : ScalingPolicy.threshold(min, max, lower, upper).withStep(step);
    }

    /** Fresh scalers for one run: ours, the original rule, HPA; then, if asked for, ours sized from demand. */
    public List<Scaler> scalers(PodModel model) {
        List<Scaler> scalers = new ArrayList<>(List.of(new PolicyScaler(policy()),
                new OriginalRuleScaler(min, max, lower, upper), new HpaScaler(min, max, target)));
        if (demand > 0) {
            scalers.add(new DemandScaler(ScalingPolicy.target(min, max, demand),
                    Duration.ofSeconds(model.startupSeconds()), model.smoothingSeconds()));
        }
        return scalers;
    }

    /** One line for reports: the policy's numbers. */
    public String describe() {
        String ours = mode == ScalingPolicy.Mode.TARGET ? String.format(Locale.ROOT, "target %.2f", target)
                : String.format(Locale.ROOT, "threshold %.2f-%.2f step %s", lower, upper,
                        step.name().toLowerCase(Locale.ROOT));
        return String.format(Locale.ROOT, "nodes %d-%d; cms %s; original %.2f-%.2f every 2 s; hpa target %.2f",
                min, max, ours, lower, upper, target);
    }
}
