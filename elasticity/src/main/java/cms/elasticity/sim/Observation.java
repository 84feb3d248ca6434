package cms.elasticity.sim;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * What a scaler sees at one simulated moment: the time, the lagged and smoothed utilisation of the
 * supplied nodes (empty before the first value reaches it), and the supplied and STARTING node counts.
 */
public record Observation(Instant now, OptionalDouble utilisation, int supplied, int starting) {

    /** Every node of the pod, supplied or STARTING: the size a scaler changes. */
    public int current() {
        return supplied + starting;
    }
}
