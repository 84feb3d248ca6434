package cms.elasticity;

import java.time.Instant;

/**
 * A metric as its newest sample(s) show it, and when that was measured (the samples' own time): the fast path holds a
 * surge from one reading to a later one, so evaluations that read the same samples again count for nothing.
 */
record Reading(double value, Instant at) {

    /** The same reading shared over {@code nodes}. */
    Reading per(int nodes) {
        return new Reading(value / nodes, at);
    }
}
