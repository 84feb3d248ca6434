package cms.core.model;

import java.time.Instant;

/** A machine that runs a node daemon, as last heard from. */
public record Host(String id, String address, double cpuCores, long memoryMb, Instant lastSeen) {
}
