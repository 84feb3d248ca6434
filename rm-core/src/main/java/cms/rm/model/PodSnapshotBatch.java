package cms.rm.model;

import cms.core.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The pods changed (or removed) in one turn of the resource manager's loop, each written once at the end of the
 * turn, as the state has it then: a pod of 100 nodes changed by many events of one poll (launches, STARTING,
 * ONLINE) was written as a snapshot of 15 KB per event; it is written once per transaction now, and the
 * compacted topic keeps only the last one anyway. Not thread-safe: the loop's thread only.
 */
public final class PodSnapshotBatch {

    /** What to write: snapshots of the pods that exist, tombstones for those removed, and the cloud's record. */
    public record Writes(List<Pod> snapshots, List<String> tombstones, boolean cloud) {
        public boolean isEmpty() {
            return snapshots.isEmpty() && tombstones.isEmpty() && !cloud;
        }
    }

    private final Set<String> dirty = new LinkedHashSet<>();
    private boolean cloud;

    /** Notes the pods the outcome changed or removed, and whether the cloud's record changed. */
    public void add(Outcome outcome) {
        outcome.changedPods().forEach(p -> dirty.add(p.name()));
        dirty.addAll(outcome.removedPods());
        cloud |= outcome.cloudChanged();
    }

    /** The writes for the pods noted since the last call, as they are in {@code state}; forgets them. */
    public Writes take(CloudState state) {
        List<Pod> snapshots = new ArrayList<>();
        List<String> tombstones = new ArrayList<>();
        for (String name : dirty) {
            state.pod(name).ifPresentOrElse(snapshots::add, () -> tombstones.add(name));
        }
        Writes out = new Writes(List.copyOf(snapshots), List.copyOf(tombstones), cloud);
        clear();
        return out;
    }

    /** Forgets what was noted (the transaction was abandoned: the state is read again). */
    public void clear() {
        dirty.clear();
        cloud = false;
    }
}
