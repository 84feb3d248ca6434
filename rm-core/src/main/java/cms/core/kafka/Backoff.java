package cms.core.kafka;

import java.time.Duration;

/** A delay that doubles from {@code first} with each failure in a row, up to {@code max}. */
public record Backoff(Duration first, Duration max) {

    public static final Backoff KAFKA = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("back-off: need 0 < first <= max, got " + first + " and " + max);
        }
    }

    /** The delay after the {@code failures}-th failure in a row (1 for the first). */
    public Duration after(int failures) {
        long millis = first.toMillis();
        for (int i = 1; i < failures && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
