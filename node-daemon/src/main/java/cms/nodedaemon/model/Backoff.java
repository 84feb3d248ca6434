package cms.nodedaemon.model;

import java.time.Duration;

/**
 * A doubling back-off: after the first failure wait {@code first}, then twice as long after each further
 * one, never more than {@code max}.
 */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("back-off needs 0 < first <= max, got " + first + " and " + max);
        }
    }

    /** How long to wait after {@code failures} failures in a row (1 or more). */
    public Duration after(int failures) {
        Duration d = first;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
