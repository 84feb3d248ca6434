package cms.core.model;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a host takes new nodes, as {@code cloud host ls}, the API and the dashboard show it: {@code ok};
 * {@code cordoned} (no new nodes, its nodes stay); {@code draining (3 left)} while its nodes are moved
 * elsewhere, with {@code , waiting for room: 1 nodes} for those no other host has room for yet; {@code drained}
 * once none is left. A pure function of the host's cordon and the pods, so every service says it alike.
 *
 * @param left    nodes that still hold capacity on the host (running, starting, or draining out)
 * @param waiting nodes of a drained host that have no replacement yet: no other host has room
 */
public record Scheduling(String hostId, boolean cordoned, boolean drain, int left, int waiting) {

    /** The host's scheduling from its cordon (null: none) and the pods. */
    public static Scheduling of(String hostId, Cordon cordon, Collection<Pod> pods) {
        int left = 0;
        int waiting = 0;
        for (Pod pod : pods) {
            Set<String> replaced = pod.nodes().stream().filter(n -> !n.removing() && n.replaces() != null)
                    .map(Node::replaces).collect(Collectors.toSet());
            for (Node n : pod.nodes()) {
                if (!hostId.equals(n.hostId()) || !n.state().holdsCapacity()) {
                    continue;
                }
                left++;
                if (!n.removing() && !replaced.contains(n.name())) {
                    waiting++;
                }
            }
        }
        boolean drain = cordon != null && cordon.drain();
        return new Scheduling(hostId, cordon != null, drain, left, drain ? waiting : 0);
    }

    /** In words: ok, cordoned, draining (N left[, waiting for room: M nodes]) or drained. */
    public String word() {
        if (!cordoned) {
            return "ok";
        }
        if (!drain) {
            return "cordoned";
        }
        if (left == 0) {
            return "drained";
        }
        return "draining (" + left + " left" + (waiting > 0 ? ", waiting for room: " + waiting + " nodes" : "") + ")";
    }
}
