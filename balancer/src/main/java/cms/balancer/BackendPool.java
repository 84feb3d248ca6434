package cms.balancer;

import cms.balancer.model.Slot;
import cms.balancer.model.SlotStep;
import java.util.List;

/** One pod's pool inside a backend: its slots, the steps applied to them, its counters, and its end. */
public interface BackendPool {

    List<Slot> slots() throws PoolException;

    void apply(SlotStep step) throws PoolException;

    PoolStats stats() throws PoolException;

    /** Stops the pod's frontend. */
    void stop();
}
