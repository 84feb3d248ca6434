package cms.balancer.haproxy;

import cms.balancer.BalancerBackend;
import cms.balancer.PoolException;
import cms.balancer.PoolSpec;
import cms.balancer.PoolStats;
import cms.balancer.model.Slot;
import cms.balancer.model.SlotStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HAProxy as the balancer: one HAProxy process per pod, so that a new pod gets its frontend without
 * touching the live ones, and one pod's trouble (a taken port) leaves the others serving. Processes
 * outlive the balancer; a restarted balancer attaches to them through their admin sockets.
 */
public final class HaproxyBalancerBackend implements BalancerBackend {

    private final String binary;
    private final Path root;
    private final Map<String, HaproxyPool> pools = new ConcurrentHashMap<>();

    public HaproxyBalancerBackend(String binary, Path root) {
        this.binary = binary;
        this.root = root;
    }

    @Override
    public String name() {
        return "haproxy";
    }

    private HaproxyPool pool(String pod) throws PoolException {
        HaproxyPool p = pools.get(pod);
        if (p == null) {
            throw new PoolException("pod " + pod + " has no pool");
        }
        return p;
    }

    @Override
    public void ensurePool(PoolSpec spec) throws PoolException {
        HaproxyPool pool = pools.computeIfAbsent(spec.pod(), pod -> new HaproxyPool(binary, root.resolve(pod)));
        try {
            pool.ensure(spec);
        } catch (PoolException e) {
            pools.remove(spec.pod());
            throw e;
        }
    }

    @Override
    public void removePool(String pod) {
        HaproxyPool p = pools.remove(pod);
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

    /** Leaves the HAProxy processes running: clients keep being served while the balancer is away. */
    @Override
    public void close() {
        pools.clear();
    }
}
