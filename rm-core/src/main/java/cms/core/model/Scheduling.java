package cms.core.model;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return forHosts(List.of(hostId), cordon == null ? Map.of() : Map.of(hostId, cordon), pods).get(hostId);
    }

    /** The scheduling of each of these hosts, by id, from one pass over the pods' nodes. */
    public static Map<String, Scheduling> forHosts(Collection<String> hostIds, Map<String, Cordon> cordons,
                                                   Collection<Pod> pods) {
        Map<String, int[]> counts = new HashMap<>(); // host -> {left, without a replacement}
        hostIds.forEach(id -> counts.put(id, new int[2]));
        for (Pod pod : pods) {
            Set<String> replaced = pod.nodes().stream().filter(n -> !n.removing() && n.replaces() != null)
                    .map(Node::replaces).collect(Collectors.toSet());
            for (Node n : pod.nodes()) {
                int[] c = n.hostId() == null ? null : counts.get(n.hostId());
                if (c == null || !n.state().holdsCapacity()) {
                    continue;
                }
                c[0]++;
                if (!n.removing() && !replaced.contains(n.name())) {
                    c[1]++;
                }
            }
        }
        Map<String, Scheduling> out = new LinkedHashMap<>();
        for (String id : hostIds) {
            Cordon cordon = cordons.get(id);
            boolean drain = cordon != null && cordon.drain();
            int[] c = counts.get(id);
            out.put(id, new Scheduling(id, cordon != null, drain, c[0], drain ? c[1] : 0));
        }
        return out;
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
