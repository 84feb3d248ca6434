package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/** Host membership and heartbeats on {@code host-events}, keyed by host id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = HostEvent.HostJoined.class, name = "HostJoined"),
    @JsonSubTypes.Type(value = HostEvent.HostHeartbeat.class, name = "HostHeartbeat"),
    @JsonSubTypes.Type(value = HostEvent.HostLost.class, name = "HostLost"),
})
public sealed interface HostEvent extends Event {
    String hostId();

    default String key() {
        return hostId();
    }

    /**
     * A daemon's start. {@code joinToken} (added to v1, absent when none): the join token the host presents the
     * first time it joins a cloud that admits hosts by token ({@code cloud host join-token HOST}).
     */
    record HostJoined(String eventId, int v, Instant at, String hostId, String address, double cpuCores,
                      long memoryMb, String joinToken) implements HostEvent {
        public HostJoined(String eventId, int v, Instant at, String hostId, String address, double cpuCores,
                          long memoryMb) {
            this(eventId, v, at, hostId, address, cpuCores, memoryMb, null);
        }

        /** Never the join token's secret. */
        @Override
        public String toString() {
            return "HostJoined[" + hostId + " " + address + (joinToken == null ? "" : " with a join token") + "]";
        }
    }

    /** Every second from each daemon: capacity and what is in use. */
    record HostHeartbeat(String eventId, int v, Instant at, String hostId, String address, double cpuCores,
                         long memoryMb, double cpuUsed, long memoryUsedMb) implements HostEvent {
    }

    record HostLost(String eventId, int v, Instant at, String hostId, String reason) implements HostEvent {
    }
}
