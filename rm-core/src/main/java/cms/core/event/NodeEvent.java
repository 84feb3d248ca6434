package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/** Node lifecycle facts on {@code node-events}, from daemons and the balancer, keyed by node name. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NodeEvent.NodeStarting.class, name = "NodeStarting"),
    @JsonSubTypes.Type(value = NodeEvent.NodeOnline.class, name = "NodeOnline"),
    @JsonSubTypes.Type(value = NodeEvent.NodeFailed.class, name = "NodeFailed"),
    @JsonSubTypes.Type(value = NodeEvent.NodeStopped.class, name = "NodeStopped"),
    @JsonSubTypes.Type(value = NodeEvent.NodeDrained.class, name = "NodeDrained"),
})
public sealed interface NodeEvent extends Event {
    String node();

    String pod();

    /** The host whose daemon reports this (a record's own {@code hostId}); null for the balancer's NodeDrained. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    default String reportingHost() {
        return null;
    }

    default String key() {
        return node();
    }

    record NodeStarting(String eventId, int v, Instant at, String node, String pod, String hostId)
            implements NodeEvent {
        @Override
        public String reportingHost() {
            return hostId();
        }
    }

    record NodeOnline(String eventId, int v, Instant at, String node, String pod, String hostId, String address,
                      int port) implements NodeEvent {
        @Override
        public String reportingHost() {
            return hostId();
        }
    }

    record NodeFailed(String eventId, int v, Instant at, String node, String pod, String hostId, String reason,
                      Integer exitCode) implements NodeEvent {
        @Override
        public String reportingHost() {
            return hostId();
        }
    }

    record NodeStopped(String eventId, int v, Instant at, String node, String pod, String hostId)
            implements NodeEvent {
        @Override
        public String reportingHost() {
            return hostId();
        }
    }

    /** From the balancer: the node is out of rotation and has no sessions left. */
    record NodeDrained(String eventId, int v, Instant at, String node, String pod) implements NodeEvent {
    }
}
