package cms.elasticity.sim;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * What a scaler sees at one simulated moment: the time, the lagged and smoothed utilisation of the
 * supplied nodes (empty before the first value reaches it), and the supplied and STARTING node counts; and,
 * for the fast path, the same utilisation over the last second ({@code last}), as the elasticity service reads it;
 * and the pod's request rate as the balancer reports it, as lagged and smoothed ({@code rate}), which a saturated
 * CPU does not cap, over the smoothing window and over the last second ({@code lastRate}).
 */
public record Observation(Instant now, OptionalDouble utilisation, int supplied, int starting, OptionalDouble last,
                          OptionalDouble rate, OptionalDouble lastRate) {

    /** With the smoothed value for the last second too (scalers that read only it), and no request rate. */
    public Observation(Instant now, OptionalDouble utilisation, int supplied, int starting) {
        this(now, utilisation, supplied, starting, utilisation, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** Every node of the pod, supplied or STARTING: the size a scaler changes. */
    public int current() {
        return supplied + starting;
    }
}
