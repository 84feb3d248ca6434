package cms.balancer;

import cms.balancer.model.Slot;
import cms.balancer.model.SlotStep;
import java.util.List;
import java.util.Set;

/**
 * A load balancer that CMS drives, in the domain's words: one pool per pod (a frontend on the pod's
 * port, a backend of server slots), slots pointed at nodes, drained and freed. HAProxy through its
 * runtime API, or the embedded proxy.
 */
public interface BalancerBackend extends AutoCloseable {

    /** {@code haproxy} or {@code embedded}. */
    String name();

    /** Makes the pod's pool exist as specified (idempotent; cheap when nothing changed). */
    void ensurePool(PoolSpec spec) throws PoolException;

    /** Stops the pod's frontend and forgets the pool. */
    void removePool(String pod);

    /** The pods that have a pool now. */
    Set<String> pools();

    /** The pool's slots as the balancer reports them. */
    List<Slot> slots(String pod) throws PoolException;

    /** Carries out one planned step on the pool. */
    void apply(String pod, SlotStep step) throws PoolException;

    PoolStats stats(String pod) throws PoolException;

    @Override
    void close();
}
