package cms.balancer;

import cms.balancer.model.Slot;
import cms.balancer.model.SlotStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A balancer backend held in memory: pools, their slots and stats set by the test, steps recorded. */
public final class FakeBalancerBackend implements BalancerBackend {

    public final Map<String, PoolSpec> specs = new LinkedHashMap<>();
    public final Map<String, List<Slot>> slots = new LinkedHashMap<>();
    public final Map<String, PoolStats> stats = new LinkedHashMap<>();
    public final Map<String, PoolException> failing = new LinkedHashMap<>();
    public final List<String> applied = new ArrayList<>();

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public void ensurePool(PoolSpec spec) {
        specs.put(spec.pod(), spec);
        slots.putIfAbsent(spec.pod(), new ArrayList<>());
    }

    @Override
    public void removePool(String pod) {
        specs.remove(pod);
        slots.remove(pod);
        stats.remove(pod);
    }

    @Override
    public Set<String> pools() {
        return Set.copyOf(specs.keySet());
    }

    @Override
    public List<Slot> slots(String pod) throws PoolException {
        check(pod);
        return List.copyOf(slots.get(pod));
    }

    @Override
    public void apply(String pod, SlotStep step) throws PoolException {
        check(pod);
        applied.add(pod + " " + step);
    }

    @Override
    public PoolStats stats(String pod) throws PoolException {
        check(pod);
        return stats.get(pod);
    }

    private void check(String pod) throws PoolException {
        if (failing.containsKey(pod)) {
            throw failing.get(pod);
        }
        if (!specs.containsKey(pod)) {
            throw new PoolException("pod " + pod + " has no pool");
        }
    }

    @Override
    public void close() {
    }
}
