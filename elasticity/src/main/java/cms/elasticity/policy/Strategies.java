package cms.elasticity.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * The scaling strategies as pure functions of (metric, node counts, policy): the size they want and
 * why, before bounds, time rules and the step. The metric is per {@code ready} node (ONLINE: the nodes
 * it is measured on), so {@code ready × value} is the load in node units; {@code current} counts ready
 * and STARTING nodes. While the metric asks for more, a strategy never wants fewer than {@code current}:
 * STARTING nodes are capacity that is coming, so the pod does not overshoot while they start. A
 * saturated reading (CPU at its limit) only says the load is at least that much; then every node,
 * STARTING ones included, is taken to be as busy, so the pod keeps growing until a reading says how
 * much is enough.
 */
public final class Strategies {

    private static final double EPSILON = 1e-9;

    private Strategies() {
    }

    public static Recommendation recommend(Metric metric, double value, int ready, int current, ScalingPolicy p) {
        if (ready == 0) {
            return noReadyNode(metric, value, current, p);
        }
        double load = (metric.saturated(value) ? current : ready) * value;
        return p.mode() == ScalingPolicy.Mode.TARGET ? target(metric, value, load, current, p)
                : threshold(metric, value, load, current, p);
    }

    /**
     * The fast path's reading of a one-second value: at or above the policy's {@link ScalingPolicy#surge surge}
     * factor (2 by default) times the upper threshold (threshold mode) or the target, or a saturated CPU, says the
     * load jumped; then the size that value asks for on the ready nodes, and why. Empty otherwise, with no ready node to
     * measure on, with a factor of 0 (no fast path), and in the one-node-at-a-time mode (the original rule has no fast
     * path). A saturated value says the load is at least that: the size it asks for is a floor.
     */
    public static Optional<Recommendation> surge(Metric metric, double value, int ready, int current, ScalingPolicy p) {
        if (p.step() == ScalingPolicy.Step.ONE || ready == 0 || !(p.surge() > 0)) {
            return Optional.empty();
        }
        boolean target = p.mode() == ScalingPolicy.Mode.TARGET;
        double base = target ? p.target() : p.upper();
        boolean saturated = metric.saturated(value);
        if (!saturated && !(value >= p.surge() * base)) {
            return Optional.empty();
        }
        // the load the ready nodes show, STARTING ones not counted as busy: while the nodes a jump asked for start,
        // the same reading asks for no more (the normal path grows on past a saturated reading, after its hold)
        Recommendation r = recommend(metric, value, ready, ready, p);
        String why = saturated ? String.format(Locale.ROOT, "%s %.2f saturated", metric.label(), value)
                : String.format(Locale.ROOT, "%s %.2f ≥ %s × %s %.2f", metric.label(), value, factor(p.surge()),
                        target ? "target" : "upper", base);
        return Optional.of(new Recommendation(r.nodes(), why));
    }

    private static String factor(double f) {
        return f == Math.rint(f) ? String.valueOf((long) f) : String.format(Locale.ROOT, "%.2f", f);
    }

    /**
     * The original rule's reasons (above upper grow, below lower shrink); the size wanted puts the metric
     * in the middle of the band, as far from both thresholds as it can be, so that the next change is
     * as far away as possible. Nothing below one node while there is any load.
     */
    static Recommendation threshold(Metric metric, double value, double load, int current, ScalingPolicy p) {
        String name = metric.label();
        if (value > p.upper()) {
            return more(ceil(load / p.middle()), current,
                    String.format(Locale.ROOT, "%s %.2f > upper %.2f", name, value, p.upper()));
        }
        if (value < p.lower()) {
            return less(Math.max(value > 0 ? 1 : 0, ceil(load / p.middle())), current,
                    String.format(Locale.ROOT, "%s %.2f < lower %.2f", name, value, p.lower()));
        }
        return new Recommendation(current, String.format(Locale.ROOT, "%s %.2f within [%.2f, %.2f]", name, value,
                p.lower(), p.upper()));
    }

    /** desired = ⌈load / target⌉ (HPA's ⌈ready × value / target⌉), unchanged within the tolerance. */
    static Recommendation target(Metric metric, double value, double load, int current, ScalingPolicy p) {
        double ratio = value / p.target();
        if (Math.abs(ratio - 1) <= p.tolerance()) {
            return new Recommendation(current, String.format(Locale.ROOT, "%s %.2f within %.0f%% of target %.2f",
                    metric.label(), value, p.tolerance() * 100, p.target()));
        }
        int want = ceil(load / p.target());
        String reason = String.format(Locale.ROOT, "%s %.2f vs target %.2f", metric.label(), value, p.target());
        return ratio > 1 ? more(want, current, reason) : less(want, current, reason);
    }

    /**
     * No node to measure on (a queue is measured without one): with none STARTING either, as many as one
     * node's worth of the metric asks for, at least one while there is any; else wait for those coming.
     */
    private static Recommendation noReadyNode(Metric metric, double value, int current, ScalingPolicy p) {
        if (current > 0) {
            return new Recommendation(current, String.format(Locale.ROOT, "%s %.2f with %d node(s) starting",
                    metric.label(), value, current));
        }
        double perNode = p.mode() == ScalingPolicy.Mode.TARGET ? p.target() : p.middle();
        int want = value > 0 ? Math.max(1, ceil(value / perNode)) : 0;
        return new Recommendation(want, String.format(Locale.ROOT, "%s %.2f with no node", metric.label(), value));
    }

    /**
     * A pod at 0 nodes whose balancer holds its requests (MIN 0 on a request metric): {@code waiting} requests held
     * now. None: no demand, stay at 0. Some: a node at once; on rps as many as the waiting requests ask for, taken as
     * one second's load at the target (threshold mode: the middle of the band) a node.
     */
    public static Recommendation fromZero(Metric metric, int waiting, ScalingPolicy p) {
        if (waiting <= 0) {
            return new Recommendation(0, "no request waiting with no node");
        }
        double perNode = p.mode() == ScalingPolicy.Mode.TARGET ? p.target() : p.middle();
        int want = metric == Metric.RPS && perNode > 0 ? Math.max(1, ceil(waiting / perNode)) : 1;
        return new Recommendation(want, String.format(Locale.ROOT, "%d request(s) waiting with no node", waiting));
    }

    private static Recommendation more(int want, int current, String reason) {
        return want > current ? new Recommendation(want, reason)
                : new Recommendation(current, reason + String.format(Locale.ROOT, ", but %d node(s) with those "
                        + "starting carry it", current));
    }

    private static Recommendation less(int want, int current, String reason) {
        return want < current ? new Recommendation(want, reason)
                : new Recommendation(current, reason + String.format(Locale.ROOT, ", but fewer than %d node(s) "
                        + "would not carry it", current));
    }

    private static int ceil(double v) {
        return (int) Math.ceil(v - EPSILON);
    }
}
