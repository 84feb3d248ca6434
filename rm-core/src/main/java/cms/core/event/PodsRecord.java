package cms.core.event;

import cms.core.model.Cordon;
import cms.core.model.Pod;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

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

    /**
     * The cloud's own record: whether init ran, and the hosts an operator cordoned (or drains), in host order
     * ({@code cordons} optional, added to v1: absent means none).
     */
    record CloudSnapshot(String eventId, int v, Instant at, boolean initialised, Instant initialisedAt,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Cordon> cordons) implements PodsRecord {

        public CloudSnapshot {
            cordons = cordons == null ? List.of() : List.copyOf(cordons);
        }

        /** A cloud record without cordons (as written before they existed). */
        public CloudSnapshot(String eventId, int v, Instant at, boolean initialised, Instant initialisedAt) {
            this(eventId, v, at, initialised, initialisedAt, List.of());
        }

        public String key() {
            return AdminRequest.CLOUD_KEY;
        }
    }
}
