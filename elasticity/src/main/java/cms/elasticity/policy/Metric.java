package cms.elasticity.policy;

import java.util.Locale;

/**
 * What a policy scales on, read as a value per ready (ONLINE) node: times the ready nodes it is the
 * load (for latency, a pod-wide value, the target-value rule's usual reading). {@code saturatedAt}: a reading at or
 * above it says only that the load is at least that much (a node cannot use more than its CPU limit),
 * so the strategies do not trust it to say how many nodes are enough; none for metrics without a cap.
 */
public enum Metric {
    /** CPU use as a share of each node's limit, 1.0 at the limit. */
    CPU(0.95),
    /** Requests per second per node, through the pod's balancer. */
    RPS(Double.POSITIVE_INFINITY),
    /** The pod's p95 response time in milliseconds (its mean where the balancer keeps no percentiles). */
    LATENCY(Double.POSITIVE_INFINITY),
    /** Jobs queued and running per node (per one node when there is none). */
    QUEUE(Double.POSITIVE_INFINITY);

    private final double saturatedAt;

    Metric(double saturatedAt) {
        this.saturatedAt = saturatedAt;
    }

    /** The name in settings, reasons and decisions. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean saturated(double value) {
        return value >= saturatedAt;
    }

    /** The metric with this label; IllegalArgumentException for an unknown one. */
    public static Metric of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
