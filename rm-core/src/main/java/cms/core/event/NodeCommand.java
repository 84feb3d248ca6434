package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import cms.core.model.Workload;
import java.time.Instant;

/** Resource manager to node daemons on {@code commands}, keyed by host id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = NodeCommand.LaunchNode.class, name = "LaunchNode"),
    @JsonSubTypes.Type(value = NodeCommand.StopNode.class, name = "StopNode"),
})
public sealed interface NodeCommand extends Event {
    String hostId();

    String node();

    default String key() {
        return hostId();
    }

    record LaunchNode(String eventId, int v, Instant at, String hostId, String node, String pod, Workload workload,
                      double cpuLimit, int memoryMb) implements NodeCommand {
    }

    record StopNode(String eventId, int v, Instant at, String hostId, String node, String pod)
            implements NodeCommand {
    }
}
