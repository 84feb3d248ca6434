package cms.balancer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-second rates of counters (requests and errors of a pool or of one of its servers) over a sliding window: the
 * balancer reads its counters every {@link PoolMetrics#PERIOD}, and each rate it publishes is over about the last
 * {@link #WINDOW} (since the newest reading at least {@link #BASE_AGE} old), however often it is read. Before a reading
 * that old exists, the rate is since the oldest one; with no earlier reading, or a counter that went back (a restarted
 * proxy), it is 0. Pure: times come from the caller.
 */
final class CounterRates {

    /** What one rate measures: the second before its reading. */
    static final Duration WINDOW = Duration.ofSeconds(1);
    /**
     * How old the reading a rate counts from must be at least: {@link #WINDOW} less half a period, so that with
     * readings every half second (a few milliseconds late each) the rate is over one second to 1.1 s.
     */
    static final Duration BASE_AGE = WINDOW.minus(PoolMetrics.PERIOD.dividedBy(2));

    /** Two counters read together. */
    record Counts(long requests, long errors) {
    }

    /** Requests and errors per second. */
    record Rates(double requests, double errors) {
    }

    private record Reading(Instant at, Counts counts) {
    }

    private final Map<String, Deque<Reading>> byKey = new HashMap<>();

    /** Records {@code counts} of {@code key} read at {@code now} and returns its rates over the last second. */
    Rates read(String key, Instant now, Counts counts) {
        Deque<Reading> readings = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
        Instant baseBefore = now.minus(BASE_AGE);
        // readings older than the newest one old enough to count from are not needed again
        while (readings.size() > 1 && !second(readings).at().isAfter(baseBefore)) {
            readings.removeFirst();
        }
        Reading base = readings.peekFirst();
        readings.addLast(new Reading(now, counts));
        if (base == null || !now.isAfter(base.at())) {
            return new Rates(0, 0);
        }
        double seconds = Duration.between(base.at(), now).toNanos() / 1e9;
        return new Rates(Math.max(0, counts.requests() - base.counts().requests()) / seconds,
                Math.max(0, counts.errors() - base.counts().errors()) / seconds);
    }

    private static Reading second(Deque<Reading> readings) {
        var it = readings.iterator();
        it.next();
        return it.next();
    }

    /** Forgets the keys {@code keep} does not accept (pools and servers gone). */
    void retain(java.util.function.Predicate<String> keep) {
        byKey.keySet().removeIf(keep.negate());
    }
}
