package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.accepted;
import static cms.rm.model.CloudFixtures.host;
import static cms.rm.model.CloudFixtures.id;
import static cms.rm.model.CloudFixtures.launch;
import static cms.rm.model.CloudFixtures.online;
import static cms.rm.model.CloudFixtures.pod;
import static cms.rm.model.CloudFixtures.register;
import static cms.rm.model.CloudFixtures.starting;
import static cms.rm.model.CloudFixtures.withHosts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.model.NodeState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pods changed in one turn are written once each, as they are at its end. */
class PodSnapshotBatchTest {

    @Test
    void manyChangesOfOnePodInATurnGiveOneSnapshotOfItsLastState() {
        PodSnapshotBatch batch = new PodSnapshotBatch();
        CloudState s = withHosts(CloudState.empty(), host("h1", 4, 4096));
        s = note(batch, accepted(s, pod("web")));
        s = note(batch, accepted(s, pod("api")));
        for (String n : List.of("n1", "n2")) {
            s = note(batch, accepted(s, register("web", n)));
            s = note(batch, accepted(s, launch("web")));
            s = note(batch, ObservedDecisions.apply(s, starting("web", n), T0));
            s = note(batch, ObservedDecisions.apply(s, online("web", n, "10.0.0.1", 2000 + n.length()), T0));
        }
        PodSnapshotBatch.Writes w = batch.take(s);
        assertEquals(List.of("web", "api"), w.snapshots().stream().map(p -> p.name()).toList(), "each pod once");
        assertEquals(2, w.snapshots().get(0).count(NodeState.ONLINE), "the pod as it is at the end of the turn");
        assertTrue(w.tombstones().isEmpty());
        assertFalse(w.cloud());
        assertTrue(batch.take(s).isEmpty(), "taken once");
    }

    @Test
    void aPodRemovedAfterItChangedIsATombstoneAndTheCloudRecordIsWrittenWhenInitRan() {
        PodSnapshotBatch batch = new PodSnapshotBatch();
        CloudState s = note(batch, accepted(CloudState.empty(), new AdminRequest.InitCloud(id(), 1, T0)));
        s = note(batch, accepted(s, pod("web")));
        s = note(batch, accepted(s, new AdminRequest.RemovePod(id(), 1, T0, "web", false)));
        PodSnapshotBatch.Writes w = batch.take(s);
        assertEquals(List.of("web"), w.tombstones());
        assertEquals(List.of("heavy", "light", "medium"), w.snapshots().stream().map(p -> p.name()).sorted().toList());
        assertTrue(w.cloud());
    }

    @Test
    void anAbandonedTurnWritesNothing() {
        PodSnapshotBatch batch = new PodSnapshotBatch();
        CloudState s = note(batch, accepted(CloudState.empty(), pod("web")));
        batch.clear();
        assertTrue(batch.take(s).isEmpty());
    }

    private static CloudState note(PodSnapshotBatch batch, Outcome o) {
        batch.add(o);
        return o.state();
    }
}
