package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/** Samples on {@code metrics}: per node (keyed by node) and per pod (keyed by pod). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = MetricSample.NodeSample.class, name = "NodeSample"),
    @JsonSubTypes.Type(value = MetricSample.PodSample.class, name = "PodSample"),
    @JsonSubTypes.Type(value = MetricSample.ServerSample.class, name = "ServerSample"),
})
public sealed interface MetricSample extends Event {

    /** The pod the sample is about. */
    String pod();

    /** CPU used as a share of the node's CPU limit (1.0 = all of it) and memory in use. */
    record NodeSample(String eventId, int v, Instant at, String node, String pod, double cpuShare, long memoryMb)
            implements MetricSample {
        public String key() {
            return node;
        }
    }

    /**
     * A pod's traffic through its frontend (from the balancer) or its job queue (from the resource
     * manager). Each producer fills what it measures; a null field was not measured by this sample.
     * Response times are in milliseconds; {@code meanResponseMs} is HAProxy's average over its last
     * 1024 requests, the percentiles come from balancers that keep a histogram. The resource manager
     * fills {@code jobQueueDepth} (jobs waiting) and {@code jobsRunning} (jobs sent and not answered).
     * {@code waiting} (added later; absent in older records): requests the balancer holds for a pod that
     * scales from zero while it has no node in service; the balancer fills it only for such pods, so null
     * says the pod's requests are not held.
     */
    record PodSample(String eventId, int v, Instant at, String pod, Double requestsPerSecond, Integer inFlight,
                     Integer queued, Double p50Ms, Double p95Ms, Double p99Ms, Double errorsPerSecond,
                     Integer jobQueueDepth, Double meanResponseMs, String source, Integer jobsRunning,
                     Integer waiting)
            implements MetricSample {
        /** The {@code source} of the resource manager's job samples. */
        public static final String RESOURCE_MANAGER = "rm";

        public PodSample(String eventId, int v, Instant at, String pod, Double requestsPerSecond, Integer inFlight,
                         Integer queued, Double p50Ms, Double p95Ms, Double p99Ms, Double errorsPerSecond,
                         Integer jobQueueDepth, Double meanResponseMs, String source) {
            this(eventId, v, at, pod, requestsPerSecond, inFlight, queued, p50Ms, p95Ms, p99Ms, errorsPerSecond,
                    jobQueueDepth, meanResponseMs, source, null, null);
        }

        /** Without requests held for the pod ({@code waiting} null). */
        public PodSample(String eventId, int v, Instant at, String pod, Double requestsPerSecond, Integer inFlight,
                         Integer queued, Double p50Ms, Double p95Ms, Double p99Ms, Double errorsPerSecond,
                         Integer jobQueueDepth, Double meanResponseMs, String source, Integer jobsRunning) {
            this(eventId, v, at, pod, requestsPerSecond, inFlight, queued, p50Ms, p95Ms, p99Ms, errorsPerSecond,
                    jobQueueDepth, meanResponseMs, source, jobsRunning, null);
        }

        public String key() {
            return pod;
        }
    }

    /** One node as its load balancer sees it: status in the balancer, traffic and errors. */
    record ServerSample(String eventId, int v, Instant at, String node, String pod, String status,
                        double requestsPerSecond, int sessions, int queued, double meanResponseMs,
                        double errorsPerSecond) implements MetricSample {
        public String key() {
            return node;
        }
    }
}
