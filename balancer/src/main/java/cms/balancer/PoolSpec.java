package cms.balancer;

/**
 * What a pod's frontend and backend look like: where it listens, how nodes are checked, how many slots, and
 * {@code activator}: the {@code address:port} of the balancer's activator, which holds the pod's requests while
 * no node serves (a pod that scales from zero), or null (answer 503 at once).
 */
public record PoolSpec(String pod, String bindAddress, int port, String healthPath, int slots, String activator) {

    /** A pool without an activator. */
    public PoolSpec(String pod, String bindAddress, int port, String healthPath, int slots) {
        this(pod, bindAddress, port, healthPath, slots, null);
    }
}
