package cms.balancer;

import cms.balancer.model.Slot;
import cms.balancer.model.SlotStep;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What every backend does the same way: keeps one pool per pod and hands each call to the pod's pool. */
public abstract class PooledBackend<P extends BackendPool> implements BalancerBackend {

    protected final Map<String, P> pools = new ConcurrentHashMap<>();

    protected P pool(String pod) throws PoolException {
        P p = pools.get(pod);
        if (p == null) {
            throw new PoolException("pod " + pod + " has no pool");
        }
        return p;
    }

    @Override
    public void removePool(String pod) {
        P p = pools.remove(pod);
        if (p != null) {
            p.stop();
        }
    }

    @Override
    public Set<String> pools() {
        return Set.copyOf(pools.keySet());
    }

    @Override
    public List<Slot> slots(String pod) throws PoolException {
        return pool(pod).slots();
    }

    @Override
    public void apply(String pod, SlotStep step) throws PoolException {
        pool(pod).apply(step);
    }

    @Override
    public PoolStats stats(String pod) throws PoolException {
        return pool(pod).stats();
    }
}
