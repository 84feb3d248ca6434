package cms.elasticity.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Kubernetes' Horizontal Pod Autoscaler (autoscaling/v2 with its default behaviour) on a CPU utilisation
 * target, re-implemented from its documented rules: every 15 s, utilisation as a whole percent of the
 * ready (supplied) pods' requests; no change while usage/target is within 1 ± 0.1; otherwise desired =
 * ⌈ratio × ready⌉, and when scaling up with pods not yet ready, those count as 0 % and the ratio is
 * computed again (no change if that flips the direction or falls inside the tolerance). Then the
 * scale-down stabilisation window: the highest recommendation of the last 300 s; then the rate limit:
 * up by at most max(+100 %, +4 pods) per period, down to MIN at once; then [MIN, MAX]. Every supplied
 * node has a metric in this model, so HPA's rule for pods without metrics never applies.
 */
public final class HpaScaler extends PeriodicScaler {

    static final Duration PERIOD = Duration.ofSeconds(15);
    static final double TOLERANCE = 0.1;
    static final Duration SCALE_DOWN_WINDOW = Duration.ofSeconds(300);

    private record Seen(Instant at, int nodes) {
    }

    private final int min;
    private final int max;
    private final int targetPercent;
    private final Deque<Seen> recommendations = new ArrayDeque<>();

    /** {@code target}: the CPU utilisation to keep, as a share (0.5 is HPA's 50 %). */
    public HpaScaler(int min, int max, double target) {
        super(PERIOD);
        this.min = min;
        this.max = max;
        this.targetPercent = (int) Math.round(target * 100);
    }

    @Override
    public String name() {
        return "hpa";
    }

    @Override
    int evaluate(double utilisation, Observation o) {
        int current = o.current();
        int proposed = replicas(utilisation, o.supplied(), o.starting(), current);
        return limit(stabilise(proposed, current, o.now()), current);
    }

    /** The replica calculator: the size the metric asks for, before the window and the limits. */
    int replicas(double utilisation, int ready, int notReady, int current) {
        double ratio = (double) wholePercent(utilisation) / targetPercent;
        if (notReady == 0 || ratio <= 1) {
            return Math.abs(1 - ratio) <= TOLERANCE ? current : (int) Math.ceil(ratio * ready);
        }
        double withNotReady = (double) wholePercent(utilisation * ready / (ready + notReady)) / targetPercent;
        if (Math.abs(1 - withNotReady) <= TOLERANCE || withNotReady < 1) {
            return current;
        }
        return Math.max(current, (int) Math.ceil(withNotReady * (ready + notReady)));
    }

    /** Scale-down stabilisation: no lower than any recommendation of the window; scale-up has no window. */
    private int stabilise(int proposed, int current, Instant now) {
        Instant cutoff = now.minus(SCALE_DOWN_WINDOW);
        recommendations.removeIf(r -> !r.at().isAfter(cutoff));
        int highest = recommendations.stream().mapToInt(Seen::nodes).reduce(proposed, Math::max);
        recommendations.addLast(new Seen(now, proposed));
        return Math.min(Math.max(current, proposed), highest);
    }

    private int limit(int desired, int current) {
        if (desired > current) {
            return Math.min(desired, Math.min(max, Math.max(2 * current, current + 4)));
        }
        if (desired < current) {
            return Math.max(desired, min);
        }
        return desired;
    }

    private static int wholePercent(double utilisation) {
        return (int) Math.floor(utilisation * 100 + 1e-9);
    }
}
