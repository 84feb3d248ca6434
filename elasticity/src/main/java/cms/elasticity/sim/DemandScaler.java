package cms.elasticity.sim;

import cms.elasticity.policy.DemandEstimator;
import cms.elasticity.policy.Recommendation;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.policy.Stabilizer;
import java.time.Duration;
import java.util.Optional;

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

    public DemandScaler(ScalingPolicy policy, Duration startup) {
        this.policy = policy;
        this.startup = startup;
    }

    @Override
    public String name() {
        return "cms-demand";
    }

    @Override
    public int decide(Observation o) {
        demand.observe(o.now(), o.rate(), o.utilisation(), o.supplied());
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
