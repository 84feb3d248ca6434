package cms.rm.model;

import java.time.Duration;

/**
 * The node lifecycle rules of {@link NodeRepairs}: a FAILED node waits {@code backoffMin}, doubled on
 * each failure up to {@code backoffMax}, before it is launched again, and the wait goes back to
 * {@code backoffMin} once it has stayed ONLINE for {@code backoffReset} (Kubernetes' 10 s, 5 min and
 * 10 min); a node STARTING for longer than {@code startTimeout} is FAILED; FAILED and STOPPED nodes that
 * will not run again are kept for {@code retention}, at most {@code retainedPerPod} of them per pod.
 */
public record RepairSettings(Duration backoffMin, Duration backoffMax, Duration backoffReset, Duration startTimeout,
                             Duration retention, int retainedPerPod) {

    public static final RepairSettings DEFAULTS = new RepairSettings(Duration.ofSeconds(10), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofSeconds(120), Duration.ofMinutes(15), 20);

    public RepairSettings {
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("restart back-off: the longest wait " + backoffMax
                    + " is shorter than the first " + backoffMin);
        }
        if (retainedPerPod < 0) {
            throw new IllegalArgumentException("nodes retained per pod must be 0 or more, not " + retainedPerPod);
        }
    }

    /** The wait before the next restart, after a last wait of {@code lastMs} (null: none yet, or reset). */
    long nextBackoffMs(Long lastMs) {
        if (lastMs == null) {
            return backoffMin.toMillis();
        }
        return Math.min(backoffMax.toMillis(), Math.max(backoffMin.toMillis(), 2 * lastMs));
    }
}
