package cms.elasticity.sim;

/** One way of sizing the pod, asked once per simulated second; it keeps its own timers and history. */
public interface Scaler {

    /** The name in tables and plots. */
    String name();

    /** The size (supplied and STARTING nodes) the pod should have from now on; {@code o.current()} holds. */
    int decide(Observation o);
}
