package cms.rm.model;

import cms.core.model.Host;
import cms.core.model.Node;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses a host for a new node: among READY hosts heard from within the liveness window and not cordoned
 * ({@link CloudState#cordoned}) where the pod's
 * CPU and memory limits still fit next to the nodes already there, the one with the fewest nodes of that pod
 * (so a pod is spread, and a lost host takes as few of its nodes with it as can be), then the most CPU free.
 * CPU may be over-committed by a factor (CPU is shared by quota; memory is not over-committed).
 */
public record Placement(Duration liveness, double cpuOvercommit) {

    public static final Duration DEFAULT_LIVENESS = Duration.ofSeconds(5);
    public static final double DEFAULT_CPU_OVERCOMMIT = 4.0;
    /** The most hosts a "no room" reply names. */
    static final int NO_ROOM_HOSTS = 5;

    public record Choice(Host host, String explanation) {
    }

    public List<Host> liveHosts(CloudState state, Instant now) {
        return state.hosts().values().stream().filter(h -> h.ready() && isLive(h, now) && !state.cordoned(h.id()))
                .toList();
    }

    public boolean isLive(Host host, Instant now) {
        return host.lastSeen() != null && !host.lastSeen().plus(liveness).isBefore(now);
    }

    /**
     * The host for a new node of {@code pod}, if one has room. What every host holds is summed in one pass over
     * the nodes ({@link #usage}), so a choice costs O(nodes + hosts), not O(nodes × hosts): with 1 000 hosts and
     * 10 000 nodes each host's free CPU was summed over every node of every pod, several times per host.
     */
    public Optional<Host> choose(CloudState state, Pod pod, Instant now) {
        Pod current = state.pod(pod.name()).orElse(pod);
        Map<String, Use> used = usage(state.pods().values());
        Map<String, Use> ofPod = usage(List.of(current));
        return liveHosts(state, now).stream()
                .filter(h -> freeCpu(h, used) + 1e-9 >= pod.cpuLimit() && freeMemory(h, used) >= pod.memoryMb())
                .max(Comparator.comparingLong((Host h) -> -ofPod.getOrDefault(h.id(), Use.NONE).nodes())
                        .thenComparingDouble((Host h) -> freeCpu(h, used)).thenComparing(Host::id));
    }

    /**
     * Whether some live host could ever hold one node of this pod, if it were empty: its CPU limit
     * within the host's cores and its memory within the host's memory. Empty when none could: the reason.
     */
    public java.util.Optional<String> neverFits(CloudState state, Pod pod, Instant now) {
        List<Host> live = liveHosts(state, now);
        if (live.isEmpty() || live.stream().anyMatch(h -> pod.cpuLimit() <= h.cpuCores() + 1e-9
                && pod.memoryMb() <= h.memoryMb())) {
            return java.util.Optional.empty();
        }
        Host largest = live.stream().max(Comparator.comparingDouble(Host::cpuCores)
                .thenComparingLong(Host::memoryMb)).orElseThrow();
        return java.util.Optional.of(String.format(Locale.ROOT,
                "pod %s is larger than any host: a node needs %.2f CPU and %d MB; the largest host, %s, has %.2f CPU "
                        + "and %d MB", pod.name(), pod.cpuLimit(), pod.memoryMb(), largest.id(), largest.cpuCores(),
                largest.memoryMb()));
    }

    /**
     * Why no host fits, for the reply: the {@value #NO_ROOM_HOSTS} live hosts with the most free CPU (by id) and
     * what they have free (with a thousand hosts, naming each made a reply of 40 KB).
     */
    public String noRoom(CloudState state, Pod pod, Instant now) {
        List<Host> live = liveHosts(state, now);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "no host has room for a node of pod %s (needs %.2f CPU, %d MB); %d live host(s)",
                pod.name(), pod.cpuLimit(), pod.memoryMb(), live.size()));
        if (!state.cordons().isEmpty()) {
            sb.append(" not cordoned (").append(state.cordons().size()).append(" cordoned take no new nodes)");
        }
        Map<String, Use> used = usage(state.pods().values());
        live.stream().sorted(Comparator.comparingDouble((Host h) -> -freeCpu(h, used)).thenComparing(Host::id))
                .limit(NO_ROOM_HOSTS).sorted(Comparator.comparing(Host::id)).forEach(h -> sb.append(String.format(Locale.ROOT, "; %s has %.2f CPU, %d MB free",
                        h.id(), freeCpu(h, used), freeMemory(h, used))));
        if (live.size() > NO_ROOM_HOSTS) {
            sb.append("; and ").append(live.size() - NO_ROOM_HOSTS).append(" more with less CPU free");
        }
        return sb.toString();
    }

    double freeCpu(CloudState state, Host host) {
        return freeCpu(host, usage(state.pods().values()));
    }

    long freeMemory(CloudState state, Host host) {
        return freeMemory(host, usage(state.pods().values()));
    }

    private double freeCpu(Host host, Map<String, Use> used) {
        return host.cpuCores() * cpuOvercommit - used.getOrDefault(host.id(), Use.NONE).cpu();
    }

    private static long freeMemory(Host host, Map<String, Use> used) {
        return host.memoryMb() - used.getOrDefault(host.id(), Use.NONE).memoryMb();
    }

    /** What the nodes on one host hold: how many, their CPU limits and memory. */
    record Use(long nodes, double cpu, long memoryMb) {
        static final Use NONE = new Use(0, 0, 0);

        Use plus(Pod pod) {
            return new Use(nodes + 1, cpu + pod.cpuLimit(), memoryMb + pod.memoryMb());
        }
    }

    /** By host id, what the nodes of {@code pods} that hold capacity hold there: one pass over the nodes. */
    static Map<String, Use> usage(Collection<Pod> pods) {
        Map<String, Use> out = new HashMap<>();
        for (Pod p : pods) {
            for (Node n : p.nodes()) {
                if (n.hostId() != null && n.state().holdsCapacity()) {
                    out.merge(n.hostId(), Use.NONE.plus(p), (a, b) -> a.plus(p));
                }
            }
        }
        return out;
    }
}
