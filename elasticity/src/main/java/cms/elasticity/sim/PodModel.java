package cms.elasticity.sim;

/**
 * The simulated pod: one node serves {@code capacity} requests/s at its full CPU share; a launched node
 * is STARTING for {@code startupSeconds} before it is supplied (ONLINE, in the balancer); the policy
 * sees the utilisation averaged over {@code smoothingSeconds} (the service's smoothing window) as it was
 * {@code lagSeconds} ago. Every supplied node gets an equal share of the load.
 */
public record PodModel(double capacity, int startupSeconds, int lagSeconds, int smoothingSeconds) {

    /** The service's default smoothing window ({@code CMS_ELASTICITY_SMOOTHING_MS}, 3 s). */
    public static final int SERVICE_SMOOTHING_SECONDS = 3;

    public PodModel {
        if (!(capacity > 0) || Double.isInfinite(capacity)) {
            throw new IllegalArgumentException("capacity " + capacity + " must be a positive number of requests/s");
        }
        if (startupSeconds < 0) {
            throw new IllegalArgumentException("start-up " + startupSeconds + " s must be 0 or more");
        }
        if (lagSeconds < 0) {
            throw new IllegalArgumentException("lag " + lagSeconds + " s must be 0 or more");
        }
        if (smoothingSeconds < 1) {
            throw new IllegalArgumentException("smoothing " + smoothingSeconds + " s must be 1 or more");
        }
    }

    public PodModel(double capacity, int startupSeconds, int lagSeconds) {
        this(capacity, startupSeconds, lagSeconds, SERVICE_SMOOTHING_SECONDS);
    }

    /** d = max(1, ⌈λ / c⌉): the fewest nodes that serve {@code rate} (a hair of rounding error forgiven). */
    public int demand(double rate) {
        return Math.max(1, (int) Math.ceil(rate / capacity - 1e-9));
    }

    /** Each supplied node's CPU share: min(1, λ / (c × supplied)); NaN when no node is supplied. */
    public double utilisation(double rate, int supplied) {
        return supplied == 0 ? Double.NaN : Math.min(1, rate / (capacity * supplied));
    }
}
