package cms.elasticity.sim;

import java.time.Duration;

/**
 * The original system's rule: every 2 s, mean CPU share above {@code upper} adds one node (if below
 * {@code max}), below {@code lower} removes one (if above {@code min}); nothing else. It counts every
 * node of the pod but knows nothing of start-up, so it keeps adding while new nodes are still starting.
 */
public final class OriginalRuleScaler extends PeriodicScaler {

    static final Duration PERIOD = Duration.ofSeconds(2);

    private final int min;
    private final int max;
    private final double lower;
    private final double upper;

    public OriginalRuleScaler(int min, int max, double lower, double upper) {
        super(PERIOD);
        this.min = min;
        this.max = max;
        this.lower = lower;
        this.upper = upper;
    }

    @Override
    public String name() {
        return "original";
    }

    @Override
    int evaluate(double cpu, Observation o) {
        int current = o.current();
        if (cpu > upper && current < max) {
            return current + 1;
        }
        if (cpu < lower && current > min) {
            return current - 1;
        }
        return current;
    }
}
