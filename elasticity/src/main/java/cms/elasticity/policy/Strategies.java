package cms.elasticity.policy;

import java.util.Locale;

/**
 * The scaling strategies as pure functions of (metric, current size, policy): the size they want and
 * why, before bounds and time rules. {@code current} counts ONLINE and STARTING nodes (capacity that is
 * coming counts, so a pod does not overshoot); the metric is per ONLINE node.
 */
public final class Strategies {

    private Strategies() {
    }

    public static Recommendation recommend(String metricName, double metric, int current, ScalingPolicy p) {
        return p.mode() == ScalingPolicy.Mode.TARGET ? target(metricName, metric, current, p)
                : threshold(metricName, metric, current, p);
    }

    /** The original rule: above upper grow, below lower shrink; one node, or enough to be back in the band. */
    static Recommendation threshold(String name, double metric, int current, ScalingPolicy p) {
        if (current == 0) {
            return new Recommendation(metric > 0 ? 1 : 0, String.format(Locale.ROOT,
                    "%s %.2f with no node", name, metric));
        }
        if (metric > p.upper()) {
            int want = p.step() == ScalingPolicy.Step.ONE ? current + 1
                    : Math.max(current + 1, (int) Math.ceil(current * metric / p.upper() - 1e-9));
            return new Recommendation(want, String.format(Locale.ROOT, "%s %.2f > upper %.2f", name, metric,
                    p.upper()));
        }
        if (metric < p.lower()) {
            int want = p.step() == ScalingPolicy.Step.ONE ? current - 1
                    : Math.min(current - 1, Math.max(1, (int) Math.floor(current * metric / p.lower() + 1e-9)));
            return new Recommendation(want, String.format(Locale.ROOT, "%s %.2f < lower %.2f", name, metric,
                    p.lower()));
        }
        return new Recommendation(current, String.format(Locale.ROOT, "%s %.2f within [%.2f, %.2f]", name, metric,
                p.lower(), p.upper()));
    }

    /** desired = ceil(current × metric / target), unchanged within the tolerance around the target. */
    static Recommendation target(String name, double metric, int current, ScalingPolicy p) {
        if (current == 0) {
            return new Recommendation(metric > 0 ? 1 : 0, String.format(Locale.ROOT,
                    "%s %.2f with no node", name, metric));
        }
        double ratio = metric / p.target();
        if (Math.abs(ratio - 1) <= p.tolerance()) {
            return new Recommendation(current, String.format(Locale.ROOT, "%s %.2f within %.0f%% of target %.2f",
                    name, metric, p.tolerance() * 100, p.target()));
        }
        int want = (int) Math.ceil(current * ratio - 1e-9);
        return new Recommendation(want, String.format(Locale.ROOT, "%s %.2f vs target %.2f", name, metric,
                p.target()));
    }
}
