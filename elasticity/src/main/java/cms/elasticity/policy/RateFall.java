package cms.elasticity.policy;

import java.time.Duration;

/**
 * A clear fall of a pod's request rate: it begins with the first reading below {@link #FALL} of the highest rate of
 * the trend window, is clear once every reading for {@link #HOLD} since has stayed below that share of the same top,
 * and ends with a reading back at or above it. Times are the caller's, in seconds.
 */
final class RateFall {

    /** The share of the top below which a reading is part of a fall. */
    static final double FALL = 0.5;
    /** How long every reading must stay below it for the fall to be clear. */
    static final Duration HOLD = Duration.ofSeconds(5);

    private double top = Double.NaN;
    private double since = Double.NaN;
    private double last = Double.NaN;

    /** One reading {@code rate} at {@code t} (seconds), with the highest rate of the trend window before it. */
    void observe(double t, double rate, double windowTop) {
        last = t;
        double ref = Double.isNaN(top) ? windowTop : top;
        if (!(rate < FALL * ref)) {
            top = Double.NaN;
            since = Double.NaN;
            return;
        }
        if (Double.isNaN(since)) {
            since = t;
            top = ref;
        }
    }

    /** Whether a clear fall has lasted at least {@code atLeast} (and at least {@link #HOLD}) by the last reading. */
    boolean lasted(Duration atLeast) {
        double hold = Math.max(HOLD.toMillis(), atLeast.toMillis()) / 1000.0;
        return !Double.isNaN(since) && last - since >= hold;
    }
}
