package cms.core.model;

import java.time.Instant;

/**
 * One instance of a pod's workload. {@code state} is what was last observed; {@code removing} is the
 * desired state "gone", kept until the node is observed STOPPED (or never started).
 *
 * <p>Restarts (all optional, absent in snapshots written before them): {@code restarts} is how many
 * times the resource manager launched the node again after it FAILED; {@code restartAt} is when its next
 * restart is due while it waits for it; {@code backoffMs} is the last wait, doubled on each failure and
 * forgotten once the node has stayed ONLINE long enough.
 *
 * <p>{@code replaces} (optional, added to v1) names the node of the same pod that this one takes over from
 * while a host is drained: once this one is ONLINE, that one is drained and stopped, and this field is
 * cleared.
 */
public record Node(String name, String pod, NodeState state, String hostId, String address, Integer port,
                   boolean removing, String reason, Instant since, Integer restarts, Instant restartAt,
                   Long backoffMs, String replaces) {

    /** A node that replaces none (snapshots written before drains existed). */
    public Node(String name, String pod, NodeState state, String hostId, String address, Integer port,
                boolean removing, String reason, Instant since, Integer restarts, Instant restartAt, Long backoffMs) {
        this(name, pod, state, hostId, address, port, removing, reason, since, restarts, restartAt, backoffMs, null);
    }

    /** A node without restarts (snapshots written before restarts existed). */
    public Node(String name, String pod, NodeState state, String hostId, String address, Integer port,
                boolean removing, String reason, Instant since) {
        this(name, pod, state, hostId, address, port, removing, reason, since, null, null, null);
    }

    public static Node registered(String name, String pod, Instant now) {
        return new Node(name, pod, NodeState.NEW, null, null, null, false, null, now);
    }

    public Node moveTo(NodeState target, String why, Instant now) {
        if (target != state && !state.canMoveTo(target)) {
            throw new IllegalStateException("node " + name + " cannot go from " + state + " to " + target);
        }
        return new Node(name, pod, target, hostId, address, port, removing, why, target == state ? since : now,
                restarts, target == state ? restartAt : null, backoffMs, replaces);
    }

    /** Launched on {@code host}: STARTING there, with its restart count and back-off kept. */
    public Node placed(String host, Instant now) {
        return new Node(name, pod, NodeState.STARTING, host, null, null, removing, null, now, restarts, null,
                backoffMs, replaces);
    }

    /** The node as reported running on {@code host} (kept when the report names no host). */
    public Node onHost(String host) {
        return host == null ? this : new Node(name, pod, state, host, address, port, removing, reason, since,
                restarts, restartAt, backoffMs, replaces);
    }

    public Node at(String newAddress, Integer newPort) {
        return new Node(name, pod, state, hostId, newAddress, newPort, removing, reason, since, restarts, restartAt,
                backoffMs, replaces);
    }

    public Node markRemoving() {
        return new Node(name, pod, state, hostId, address, port, true, reason, since, restarts, null, backoffMs,
                replaces);
    }

    /** Restarts so far, 0 when none. */
    public int restartCount() {
        return restarts == null ? 0 : restarts;
    }

    /** Waiting for a restart due at {@code at} after a wait of {@code backoff} ms, with the reason saying so. */
    public Node restartDue(Instant at, long backoff, String why) {
        return new Node(name, pod, state, hostId, address, port, removing, why, since, restarts, at, backoff,
                replaces);
    }

    /** Launched again on {@code host} after a failure: STARTING there, one more restart counted. */
    public Node restarted(String host, Instant now) {
        return new Node(name, pod, NodeState.STARTING, host, null, null, removing, null, now, restartCount() + 1,
                null, backoffMs, replaces);
    }

    /** With its back-off forgotten (it stayed up long enough): the next failure waits the shortest time again. */
    public Node backoffReset() {
        return new Node(name, pod, state, hostId, address, port, removing, reason, since, restarts, restartAt, null,
                replaces);
    }

    /**
     * FAILED for {@code why} through no fault of its own (its host was lost): due for its restart at once,
     * its back-off not doubled.
     */
    public Node failedAway(String why, Instant now) {
        Node failed = moveTo(NodeState.FAILED, why, now);
        return new Node(name, pod, NodeState.FAILED, hostId, address, port, removing, why, failed.since, restarts, now,
                backoffMs, replaces);
    }

    /** With another reason, all else kept. */
    public Node because(String why) {
        return new Node(name, pod, state, hostId, address, port, removing, why, since, restarts, restartAt,
                backoffMs, replaces);
    }

    /** A new node of the pod that takes over from {@code old} (a node on a host being drained). */
    public static Node replacing(String name, Node old, Instant now) {
        return new Node(name, old.pod(), NodeState.NEW, null, null, null, false, null, now, null, null, null,
                old.name());
    }

    /** With {@code replaces} cleared: the node it took over from is on its way out (or gone). */
    public Node replacedDone() {
        return new Node(name, pod, state, hostId, address, port, removing, reason, since, restarts, restartAt,
                backoffMs, null);
    }
}
