package cms.elasticity.sim;

import cms.elasticity.policy.DemandEstimator;
import cms.elasticity.policy.Metric;
import cms.elasticity.policy.Recommendation;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.policy.Stabilizer;
import cms.elasticity.policy.Strategies;
import java.time.Duration;
import java.util.Optional;

/**
 * Our policy sized from demand ({@link DemandEstimator}): the request rate over the learned capacity per node, each
 * node at the policy's target, growing for the rate foreseen one start-up ahead; the time rules and the fast path
 * as {@link PolicyScaler} has them (a jump the fast path sees is sized from the last second's request rate when that asks for more).
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
        int current = o.current();
        demand.observe(o.now(), o.rate(), o.utilisation(), o.supplied());
        Optional<Recommendation> byDemand = demand.recommend(policy.target(), startup, policy.min(), policy.max());
        Recommendation rec = byDemand.orElseGet(() -> o.utilisation().isPresent()
                ? Strategies.recommend(Metric.CPU, o.utilisation().getAsDouble(), o.supplied(), current, policy)
                : new Recommendation(current, "no cpu samples yet"));
        Optional<Recommendation> surge = o.last().isPresent()
                ? Strategies.surge(Metric.CPU, o.last().getAsDouble(), o.supplied(), current, policy) : Optional.empty();
        if (surge.isPresent() && o.lastRate().isPresent()) {
            // a jump is sized from the last second's request rate, which a saturated CPU does not cap
            int jump = demand.nodesFor(o.lastRate().getAsDouble(), policy.target()).orElse(0);
            int size = Math.min(policy.max(), Math.max(surge.get().nodes(), jump));
            surge = Optional.of(new Recommendation(size, surge.get().reason()));
        }
        return stabilizer.decide(rec, surge, current, policy, o.now()).to();
    }
}
