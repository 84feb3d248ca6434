package cms.elasticity.sim;

import cms.elasticity.policy.DemandEstimator;
import cms.elasticity.policy.Metric;
import cms.elasticity.policy.Recommendation;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.policy.Stabilizer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Our policy sized from demand ({@link DemandEstimator}): the request rate over the learned capacity per node, each
 * node at the policy's target, growing for the rate foreseen one start-up ahead; the time rules and the fast path
 * as {@link PolicyScaler} has them (a jump the fast path sees is sized from the last second's request rate when that asks for more),
 * except that a clear fall of the rate is followed in seconds ({@link DemandEstimator#rules}).
 * Before a capacity is learned it is target mode on the CPU.
 */
public final class DemandScaler implements Scaler {

    private final ScalingPolicy policy;
    private final Duration startup;
    private final DemandEstimator demand = new DemandEstimator();
    private final Stabilizer stabilizer = new Stabilizer();
    private final int smoothingSeconds;
    /** The last seconds' utilisation, as many as the smoothed value is the mean of. */
    private final Deque<Double> recent = new ArrayDeque<>();

    /** With the service's smoothing window ({@link PodModel#SERVICE_SMOOTHING_SECONDS}). */
    public DemandScaler(ScalingPolicy policy, Duration startup) {
        this(policy, startup, PodModel.SERVICE_SMOOTHING_SECONDS);
    }

    /** {@code smoothingSeconds}: how many seconds the pod model's smoothed utilisation is the mean of. */
    public DemandScaler(ScalingPolicy policy, Duration startup, int smoothingSeconds) {
        this.policy = policy;
        this.startup = startup;
        this.smoothingSeconds = smoothingSeconds;
    }

    @Override
    public String name() {
        return "cms-demand";
    }

    @Override
    public int decide(Observation o) {
        o.last().ifPresent(recent::addLast);
        while (recent.size() > smoothingSeconds) {
            recent.removeFirst();
        }
        // as the service: a mean over a window that holds a capped (saturated) second would teach too high a capacity
        boolean capped = recent.stream().anyMatch(Metric.CPU::saturated);
        demand.observe(o.now(), o.rate(), capped ? OptionalDouble.empty() : o.utilisation(), o.supplied());
        Recommendation rec = demand.recommend(policy.target(), policy.tolerance(), startup, o.current(), policy.min(),
                        policy.max())
                .orElseGet(() -> PolicyScaler.normal(o, policy));
        // a jump is sized from the last second's request rate, which a saturated CPU does not cap
        Optional<Recommendation> surge = demand.jump(PolicyScaler.surge(o, policy), o.lastRate(), policy.target(),
                policy.max());
        // a clear fall is followed in seconds, not after the whole scale-in window
        return stabilizer.decide(rec, surge, o.current(), demand.rules(policy, startup), o.now()).to();
    }

}
