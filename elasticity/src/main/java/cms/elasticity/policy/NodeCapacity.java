package cms.elasticity.policy;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * What one node of a pod serves at its full CPU share, learned from what the pod shows: its request rate against the
 * CPU its ready nodes use, read only while the CPU is neither idle nor saturated (so the figure is a rate a node can
 * hold), as a mean weighted by time. A reading just after the pod shrank is not taken: its CPU, a mean over the
 * smoothing window, is partly from when more nodes shared the rate, so it reads a capacity too high, and a pod sized
 * from that has too few nodes (after a scale-out the error goes the other way, towards more nodes, and is kept). Times
 * are the caller's, in seconds.
 */
final class NodeCapacity {

    /**
     * Weight of a second of readings (an exponentially weighted mean over time): the service evaluates a pod at each
     * sample about it, several times a second, and what it learns must not depend on how often.
     */
    static final double LEARNING = 0.2;
    /** CPU shares between which a reading teaches the capacity: below, fixed costs dominate; above, it may be capped. */
    static final double LEARN_FROM = 0.1;
    static final double LEARN_UP_TO = 0.9;
    /**
     * How long after the ready nodes became fewer nothing is learned: the service's smoothing window (3 s) and the
     * age of its newest samples (up to a second).
     */
    static final Duration AFTER_SHRINK = Duration.ofSeconds(4);

    private double capacity = Double.NaN;
    private double lastSeen = Double.NaN;
    private int lastReady = -1;
    private double shrunkAt = Double.NEGATIVE_INFINITY;

    /** One reading at {@code t}: the pod's request rate, its nodes' mean CPU share and how many nodes it is read on. */
    void observe(double t, double rate, OptionalDouble cpu, int ready) {
        // the weight of this reading: the time since the previous one, up to a second (a reading a second)
        double seconds = Double.isNaN(lastSeen) ? 1 : Math.max(0, Math.min(1, t - lastSeen));
        lastSeen = t;
        if (lastReady >= 0 && ready < lastReady) {
            shrunkAt = t;
        }
        lastReady = ready;
        boolean settled = t - shrunkAt >= AFTER_SHRINK.toMillis() / 1000.0;
        if (!settled || cpu.isEmpty() || ready <= 0 || cpu.getAsDouble() < LEARN_FROM || cpu.getAsDouble() > LEARN_UP_TO) {
            return;
        }
        double perNode = rate / (cpu.getAsDouble() * ready);
        double weight = seconds >= 1 ? LEARNING : 1 - Math.pow(1 - LEARNING, seconds);
        capacity = Double.isNaN(capacity) ? perNode : capacity + weight * (perNode - capacity);
    }

    /** Requests/s one node serves at its full CPU share, once learned. */
    OptionalDouble value() {
        return capacity > 0 ? OptionalDouble.of(capacity) : OptionalDouble.empty();
    }
}
