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

    record HostJoined(String eventId, int v, Instant at, String hostId, String address, double cpuCores,
                      long memoryMb) implements HostEvent {
    }

    /** Every second from each daemon: capacity and what is in use. */
    record HostHeartbeat(String eventId, int v, Instant at, String hostId, String address, double cpuCores,
                         long memoryMb, double cpuUsed, long memoryUsedMb) implements HostEvent {
    }

    record HostLost(String eventId, int v, Instant at, String hostId, String reason) implements HostEvent {
    }
}
