package cms.elasticity.sim;

import java.util.List;

/**
 * A load trace: request rates at strictly increasing times (seconds, from 0). Between two rows the
 * earlier row's rate holds. A run samples it every whole second from the first row's time to the last
 * row's, both included, so a trace whose rows span 0 to 1799 s is a run of 1800 one-second steps.
 */
public record Trace(List<Point> points) {

    /** One row: from {@code tSeconds} on, {@code requestsPerSecond} arrive. */
    public record Point(double tSeconds, double requestsPerSecond) {
    }

    public Trace {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a trace needs at least one row");
        }
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (!(p.tSeconds() >= 0) || !(p.requestsPerSecond() >= 0) || Double.isInfinite(p.tSeconds())
                    || Double.isInfinite(p.requestsPerSecond())) {
                throw new IllegalArgumentException("row " + (i + 1) + " has a negative or non-finite value: " + p);
            }
            if (i > 0 && p.tSeconds() <= points.get(i - 1).tSeconds()) {
                throw new IllegalArgumentException("row " + (i + 1) + " is not after row " + i);
            }
        }
        points = List.copyOf(points);
    }

    /** How many one-second steps a run over this trace takes. */
    public int seconds() {
        return (int) Math.floor(last().tSeconds() - points.get(0).tSeconds()) + 1;
    }

    /** The request rate {@code step} seconds after the first row. */
    public double rateAt(int step) {
        double t = points.get(0).tSeconds() + step;
        int lo = 0;
        int hi = points.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (points.get(mid).tSeconds() <= t) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return points.get(lo).requestsPerSecond();
    }

    private Point last() {
        return points.get(points.size() - 1);
    }
}
