package cms.elasticity.sim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A reference family of causal rules, not a contender: every second the pod goes straight to ⌈(1 + h) · peak /
 * capacity⌉ nodes (within [MIN, MAX], at least 1), where peak is the largest request rate of the last {@code hold}
 * seconds and this one. It reads the trace's rate up to now only, exactly and without lag, with the capacity known,
 * and has no hold or cool-down: a rule of this shape that sees the present as well as possible. {@code h} is headroom
 * kept for a rise it cannot see coming; {@code hold} keeps nodes a while after the load falls.
 */
public final class HeadroomScaler implements Scaler {

    private final double[] peak;
    private final double capacity;
    private final double headroom;
    private final int hold;
    private final int min;
    private final int max;

    public HeadroomScaler(double[] rate, double capacity, double headroom, int holdSeconds, int min, int max) {
        this.peak = peaks(rate, holdSeconds);
        this.capacity = capacity;
        this.headroom = headroom;
        this.hold = holdSeconds;
        this.min = min;
        this.max = max;
    }

    /** The largest of {@code rate[k - hold .. k]} for each k: a sliding maximum, reading nothing after k. */
    static double[] peaks(double[] rate, int hold) {
        double[] peak = new double[rate.length];
        Deque<Integer> window = new ArrayDeque<>();
        for (int k = 0; k < rate.length; k++) {
            while (!window.isEmpty() && rate[window.peekLast()] <= rate[k]) {
                window.removeLast();
            }
            window.addLast(k);
            if (window.peekFirst() < k - hold) {
                window.removeFirst();
            }
            peak[k] = rate[window.peekFirst()];
        }
        return peak;
    }

    public double headroom() {
        return headroom;
    }

    public int hold() {
        return hold;
    }

    @Override
    public String name() {
        return LibraryRun.REFERENCE + String.format(Locale.ROOT, "headroom h=%.2f W=%ds", headroom, hold);
    }

    @Override
    public int decide(Observation o) {
        int k = (int) (o.now().getEpochSecond() - Simulation.START.getEpochSecond());
        int want = (int) Math.ceil((1 + headroom) * peak[k] / capacity - 1e-9);
        return Math.max(Math.max(1, min), Math.min(max, want));
    }
}
