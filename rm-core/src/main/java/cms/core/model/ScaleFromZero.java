package cms.core.model;

import java.time.Duration;
import java.util.List;

/**
 * Which pods may sit at 0 nodes, and how a request to one waits for its first node. A pod with MIN 0 needs a
 * metric it still has with no node: the job queue (measured by the resource manager), or requests (rps,
 * latency), which its balancer holds while a node starts and reports as waiting, so the elasticity service
 * asks for a node at once. CPU is measured on nodes only, so it stays refused.
 */
public final class ScaleFromZero {

    /** The metrics that allow MIN 0. */
    public static final List<String> METRICS = List.of("queue", "rps", "latency");
    /** The request metrics: a pod at 0 nodes on one of them has its requests held by its balancer. */
    public static final List<String> REQUEST_METRICS = List.of("rps", "latency");
    /** How long a held request waits for the pod's first node by default (Knative's activator waits as long). */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(30);

    private ScaleFromZero() {
    }

    /** The pod's elasticity may take it to 0 nodes and its frontend should hold requests meanwhile. */
    public static boolean holdsRequests(ElasticityPolicy p) {
        return p.enabled() && p.min() == 0 && REQUEST_METRICS.contains(p.metricOrDefault());
    }
}
