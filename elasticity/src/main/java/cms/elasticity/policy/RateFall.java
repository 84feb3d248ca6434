package cms.elasticity.policy;

import java.time.Duration;

/**
 * A clear fall of a pod's request rate: it begins with the first reading below {@link #FALL} of the mean rate of the
 * trend window, is clear once every reading for {@link #HOLD} since has stayed below that share of the same mean, and
 * ends with a reading back at or above it. The mean, not the window's top: on a noisy plateau the top is a peak of the
 * noise, and half of it is reached by the noise's dips, which come back within seconds (on the noisy plateau trace,
 * AR(1) noise of sd ~20 %, a pod that followed such dips was short when they ended). Times are the caller's, in
 * seconds.
 */
final class RateFall {

    /** The share of the window's mean below which a reading is part of a fall. */
    static final double FALL = 0.5;
    /** How long every reading must stay below it for the fall to be clear. */
    static final Duration HOLD = Duration.ofSeconds(5);

    private double ref = Double.NaN;
    private double since = Double.NaN;
    private double last = Double.NaN;

    /** One reading {@code rate} at {@code t} (seconds), with the mean rate of the trend window before it. */
    void observe(double t, double rate, double windowMean) {
        last = t;
        double level = Double.isNaN(ref) ? windowMean : ref;
        if (!(rate < FALL * level)) {
            ref = Double.NaN;
            since = Double.NaN;
            return;
        }
        if (Double.isNaN(since)) {
            since = t;
            ref = level;
        }
    }

    /** Whether a clear fall has lasted at least {@code atLeast} (and at least {@link #HOLD}) by the last reading. */
    boolean lasted(Duration atLeast) {
        double hold = Math.max(HOLD.toMillis(), atLeast.toMillis()) / 1000.0;
        return !Double.isNaN(since) && last - since >= hold;
    }
}
