package cms.core.event;

import cms.core.model.Pod;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Values of the compacted {@code pods} topic: the whole desired and observed state of one pod, keyed
 * by pod name, and the cloud's own record under {@link AdminRequest#CLOUD_KEY}. A removed pod is a
 * tombstone (null value).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PodsRecord.PodSnapshot.class, name = "PodSnapshot"),
    @JsonSubTypes.Type(value = PodsRecord.CloudSnapshot.class, name = "CloudSnapshot"),
})
public sealed interface PodsRecord extends Event {

    record PodSnapshot(String eventId, int v, Instant at, Pod pod) implements PodsRecord {
        public String key() {
            return pod.name();
        }
    }

    record CloudSnapshot(String eventId, int v, Instant at, boolean initialised, Instant initialisedAt)
            implements PodsRecord {
        public String key() {
            return AdminRequest.CLOUD_KEY;
        }
    }
}
