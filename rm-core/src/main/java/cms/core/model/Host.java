package cms.core.model;

import java.time.Instant;
import java.util.List;

/**
 * A machine that runs a node daemon, as last heard from ({@code lastSeen}, the resource manager's clock),
 * its {@link HostState} with the reason when it is not READY, and, once LOST, the nodes it ran then
 * ({@code lostNodes}): the ones it is told to stop when it is heard again.
 */
public record Host(String id, String address, double cpuCores, long memoryMb, Instant lastSeen, HostState state,
                   String reason, List<Node> lostNodes) {

    public Host {
        state = state == null ? HostState.READY : state;
        lostNodes = lostNodes == null ? List.of() : List.copyOf(lostNodes);
    }

    /** A READY host. */
    public Host(String id, String address, double cpuCores, long memoryMb, Instant lastSeen) {
        this(id, address, cpuCores, memoryMb, lastSeen, HostState.READY, null, List.of());
    }

    public boolean ready() {
        return state == HostState.READY;
    }

    /** The host in another state, with its reason (null for READY); its lost nodes kept. */
    public Host in(HostState next, String why) {
        return new Host(id, address, cpuCores, memoryMb, lastSeen, next, why, lostNodes);
    }

    /** LOST for {@code why}, having run {@code nodes}. */
    public Host lost(String why, List<Node> nodes) {
        return new Host(id, address, cpuCores, memoryMb, lastSeen, HostState.LOST, why, nodes);
    }
}
