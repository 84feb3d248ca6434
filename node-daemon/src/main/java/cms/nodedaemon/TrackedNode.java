package cms.nodedaemon;

import java.time.Instant;

/**
 * A node the supervisor watches: STARTING until its health check passes (or its start timeout ends it),
 * then ONLINE. {@code announcedPort}: the port the resource manager was last told (null: never told).
 */
final class TrackedNode {

    enum Phase { STARTING, ONLINE }

    final String node;
    final String pod;
    final String healthPath;
    Instant since;
    Phase phase = Phase.STARTING;
    Integer announcedPort;

    TrackedNode(String node, String pod, String healthPath, Instant since) {
        this.node = node;
        this.pod = pod;
        this.healthPath = healthPath;
        this.since = since;
    }

    /** Its engine was away: it must pass its health check again, within a new start timeout. */
    void startingAgain(Instant now) {
        phase = Phase.STARTING;
        since = now;
    }
}
