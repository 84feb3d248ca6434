package cms.balancer.model;

/** One change to a pod's backend, planned by {@link PoolReconciler}. */
public sealed interface SlotStep {

    /** Point a free slot at the node, with weight 0 and its health forced down until checks pass. */
    record Assign(String slot, String node, String address, int port) implements SlotStep {
    }

    /** The slot's checks pass: give it its weight, so it takes requests. */
    record Promote(String slot, String node) implements SlotStep {
    }

    /** Put a drained slot of a serving node back in rotation (after a resume). */
    record Ready(String slot, String node) implements SlotStep {
    }

    /** No new requests to this slot; the ones in flight finish. */
    record Drain(String slot, String node) implements SlotStep {
    }

    /** The slot has no sessions left (or its drain timed out): take it out; it is free again. */
    record Free(String slot, String node) implements SlotStep {
    }

    /** A node being removed is out of the balancer: tell the resource manager. */
    record Drained(String node) implements SlotStep {
    }
}
