package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/** Samples on {@code metrics}: per node (keyed by node) and per pod (keyed by pod). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MetricSample.NodeSample.class, name = "NodeSample"),
    @JsonSubTypes.Type(value = MetricSample.PodSample.class, name = "PodSample"),
})
public sealed interface MetricSample extends Event {

    /** CPU used as a share of the node's CPU limit (1.0 = all of it) and memory in use. */
    record NodeSample(String eventId, int v, Instant at, String node, String pod, double cpuShare, long memoryMb)
            implements MetricSample {
        public String key() {
            return node;
        }
    }

    /** Traffic through a pod's frontend, and its job queue. */
    record PodSample(String eventId, int v, Instant at, String pod, double requestsPerSecond, int inFlight,
                     int queued, double p50Ms, double p95Ms, double p99Ms, double errorsPerSecond,
                     int jobQueueDepth) implements MetricSample {
        public String key() {
            return pod;
        }
    }
}
