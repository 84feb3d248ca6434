package cms.balancer.haproxy;

import cms.balancer.PoolException;
import cms.balancer.PooledBackend;
import cms.balancer.PoolSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * HAProxy as the balancer: one HAProxy process per pod, so that a new pod gets its frontend without
 * touching the live ones, and one pod's trouble (a taken port) leaves the others serving. Processes
 * outlive the balancer; a restarted balancer attaches to them through their admin sockets.
 */
public final class HaproxyBalancerBackend extends PooledBackend<HaproxyPool> {

    private final String binary;
    private final Path root;
    private final Duration serverTimeout;

    /** {@code serverTimeout}: how long a frontend waits for a node's answer to a request without a job's limit. */
    public HaproxyBalancerBackend(String binary, Path root, Duration serverTimeout) {
        this.binary = binary;
        this.root = root;
        this.serverTimeout = serverTimeout;
    }

    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    public void ensurePool(PoolSpec spec) throws PoolException {
        HaproxyPool pool = pools.computeIfAbsent(spec.pod(), pod -> new HaproxyPool(binary, root.resolve(pod), serverTimeout));
        try {
            pool.ensure(spec);
        } catch (PoolException e) {
            pools.remove(spec.pod());
            throw e;
        }
    }

    /** Leaves the HAProxy processes running: clients keep being served while the balancer is away. */
    @Override
    public void close() {
        pools.clear();
    }
}
