package cms.elasticity.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * A scaler that looks only every {@code period} (from its first call on) and only when a metric has
 * reached it; in between, and without a metric, the pod keeps its size.
 */
abstract class PeriodicScaler implements Scaler {

    private final Duration period;
    private Instant next;

    PeriodicScaler(Duration period) {
        this.period = period;
    }

    @Override
    public final int decide(Observation o) {
        if (next != null && o.now().isBefore(next)) {
            return o.current();
        }
        next = o.now().plus(period);
        return o.utilisation().isPresent() && o.supplied() > 0 ? evaluate(o.utilisation().getAsDouble(), o)
                : o.current();
    }

    /** The size wanted at an evaluation, given the utilisation seen. */
    abstract int evaluate(double utilisation, Observation o);
}
