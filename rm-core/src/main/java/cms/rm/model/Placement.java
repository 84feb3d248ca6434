package cms.rm.model;

import cms.core.model.Host;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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

    public record Choice(Host host, String explanation) {
    }

    public List<Host> liveHosts(CloudState state, Instant now) {
        return state.hosts().values().stream().filter(h -> h.ready() && isLive(h, now) && !state.cordoned(h.id()))
                .toList();
    }

    public boolean isLive(Host host, Instant now) {
        return host.lastSeen() != null && !host.lastSeen().plus(liveness).isBefore(now);
    }

    public Optional<Host> choose(CloudState state, Pod pod, Instant now) {
        Pod current = state.pod(pod.name()).orElse(pod);
        return liveHosts(state, now).stream()
                .filter(h -> freeCpu(state, h) + 1e-9 >= pod.cpuLimit() && freeMemory(state, h) >= pod.memoryMb())
                .max(Comparator.comparingLong((Host h) -> -nodesOf(current, h))
                        .thenComparingDouble((Host h) -> freeCpu(state, h)).thenComparing(Host::id));
    }

    /** Nodes of the pod that hold capacity on the host. */
    static long nodesOf(Pod pod, Host host) {
        return pod.nodes().stream().filter(n -> host.id().equals(n.hostId()) && n.state().holdsCapacity()).count();
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

    /** Why no host fits, for the reply. */
    public String noRoom(CloudState state, Pod pod, Instant now) {
        List<Host> live = liveHosts(state, now);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "no host has room for a node of pod %s (needs %.2f CPU, %d MB); %d live host(s)",
                pod.name(), pod.cpuLimit(), pod.memoryMb(), live.size()));
        if (!state.cordons().isEmpty()) {
            sb.append(" not cordoned (").append(state.cordons().size()).append(" cordoned take no new nodes)");
        }
        for (Host h : live) {
            sb.append(String.format(Locale.ROOT, "; %s has %.2f CPU, %d MB free", h.id(), freeCpu(state, h),
                    freeMemory(state, h)));
        }
        return sb.toString();
    }

    double freeCpu(CloudState state, Host host) {
        double used = onHost(state.pods().values(), host).mapToDouble(p -> p.cpu).sum();
        return host.cpuCores() * cpuOvercommit - used;
    }

    long freeMemory(CloudState state, Host host) {
        long used = onHost(state.pods().values(), host).mapToLong(p -> p.memoryMb).sum();
        return host.memoryMb() - used;
    }

    private record Use(double cpu, long memoryMb) {
    }

    private static java.util.stream.Stream<Use> onHost(Collection<Pod> pods, Host host) {
        return pods.stream().flatMap(p -> p.nodes().stream()
                .filter(n -> host.id().equals(n.hostId()) && n.state().holdsCapacity())
                .map(n -> new Use(p.cpuLimit(), p.memoryMb())));
    }
}
