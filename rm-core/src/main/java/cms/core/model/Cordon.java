package cms.core.model;

import java.time.Instant;

/**
 * An operator's word about one host, kept in the cloud's record on the compacted {@code pods} topic so a
 * restarted resource manager still has it: the host takes no new nodes since {@code since} (its running nodes
 * stay), and, when {@code drain}, its nodes are moved to other hosts one replacement at a time (as
 * {@code kubectl drain} or {@code nomad node drain}). Removed by an uncordon.
 */
public record Cordon(String hostId, Instant since, boolean drain) {

    /** The same cordon, now also draining (its first {@code since} kept). */
    public Cordon draining() {
        return new Cordon(hostId, since, true);
    }
}
