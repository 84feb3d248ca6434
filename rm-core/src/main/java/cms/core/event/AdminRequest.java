package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Requests from the web service to the resource manager on {@code admin-requests}. The event id is the
 * correlation id that the reply carries back. Keyed by pod name ({@link #CLOUD_KEY} for cloud-wide ones).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AdminRequest.InitCloud.class, name = "InitCloud"),
    @JsonSubTypes.Type(value = AdminRequest.RegisterPod.class, name = "RegisterPod"),
    @JsonSubTypes.Type(value = AdminRequest.RemovePod.class, name = "RemovePod"),
    @JsonSubTypes.Type(value = AdminRequest.ListPods.class, name = "ListPods"),
    @JsonSubTypes.Type(value = AdminRequest.GetPod.class, name = "GetPod"),
    @JsonSubTypes.Type(value = AdminRequest.RegisterNode.class, name = "RegisterNode"),
    @JsonSubTypes.Type(value = AdminRequest.RemoveNode.class, name = "RemoveNode"),
    @JsonSubTypes.Type(value = AdminRequest.Launch.class, name = "Launch"),
    @JsonSubTypes.Type(value = AdminRequest.ListNodes.class, name = "ListNodes"),
    @JsonSubTypes.Type(value = AdminRequest.Pause.class, name = "Pause"),
    @JsonSubTypes.Type(value = AdminRequest.Resume.class, name = "Resume"),
    @JsonSubTypes.Type(value = AdminRequest.EnableElasticity.class, name = "EnableElasticity"),
    @JsonSubTypes.Type(value = AdminRequest.DisableElasticity.class, name = "DisableElasticity"),
    @JsonSubTypes.Type(value = AdminRequest.SetThreshold.class, name = "SetThreshold"),
    @JsonSubTypes.Type(value = AdminRequest.AbortJob.class, name = "AbortJob"),
    @JsonSubTypes.Type(value = AdminRequest.ListHosts.class, name = "ListHosts"),
    @JsonSubTypes.Type(value = AdminRequest.CordonHost.class, name = "CordonHost"),
    @JsonSubTypes.Type(value = AdminRequest.UncordonHost.class, name = "UncordonHost"),
    @JsonSubTypes.Type(value = AdminRequest.DrainHost.class, name = "DrainHost"),
    @JsonSubTypes.Type(value = AdminRequest.CreateToken.class, name = "CreateToken"),
    @JsonSubTypes.Type(value = AdminRequest.RevokeToken.class, name = "RevokeToken"),
    @JsonSubTypes.Type(value = AdminRequest.CreateJoinToken.class, name = "CreateJoinToken"),
})
public sealed interface AdminRequest extends Event {

    String CLOUD_KEY = "@cloud";
    /** Items on one page of a list when the request gives no {@code limit}. */
    int PAGE_DEFAULT = 100;
    /**
     * The most items a client may ask for on one page; the resource manager takes one more, so that a
     * client can ask one ahead to learn whether a next page exists.
     */
    int PAGE_MAX = 1000;

    /** Which of a pod's two thresholds a {@link SetThreshold} changes. */
    enum Threshold { LOWER, UPPER }

    /** Creates the default pods once. */
    record InitCloud(String eventId, int v, Instant at) implements AdminRequest {
        public String key() {
            return CLOUD_KEY;
        }
    }

    /** Registers a pod; workload is {@code light|medium|heavy} or given by image. Null limits take defaults. */
    record RegisterPod(String eventId, int v, Instant at, String pod, String workload, String image, Integer port,
                       String healthPath, String jobPath, Double cpuLimit, Integer memoryMb, Integer nodeLimit,
                       Integer frontendPort, String restartPolicy) implements AdminRequest {
        /** A registration without a chosen frontend port (CMS picks the lowest free one). */
        public RegisterPod(String eventId, int v, Instant at, String pod, String workload, String image, Integer port,
                           String healthPath, String jobPath, Double cpuLimit, Integer memoryMb, Integer nodeLimit) {
            this(eventId, v, at, pod, workload, image, port, healthPath, jobPath, cpuLimit, memoryMb, nodeLimit, null);
        }

        /** A registration without a restart policy ({@code always}). */
        public RegisterPod(String eventId, int v, Instant at, String pod, String workload, String image, Integer port,
                           String healthPath, String jobPath, Double cpuLimit, Integer memoryMb, Integer nodeLimit,
                           Integer frontendPort) {
            this(eventId, v, at, pod, workload, image, port, healthPath, jobPath, cpuLimit, memoryMb, nodeLimit,
                    frontendPort, null);
        }

        public String key() {
            return pod;
        }
    }

    record RemovePod(String eventId, int v, Instant at, String pod, boolean force) implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    /**
     * One page of the pods, in name order: at most {@code limit} (null: the resource manager's default),
     * those named after {@code after} (null: from the first). Both optional (added to v1).
     */
    record ListPods(String eventId, int v, Instant at, Integer limit, String after) implements AdminRequest {
        public ListPods(String eventId, int v, Instant at) {
            this(eventId, v, at, null, null);
        }

        public String key() {
            return CLOUD_KEY;
        }
    }

    record GetPod(String eventId, int v, Instant at, String pod) implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    record RegisterNode(String eventId, int v, Instant at, String pod, String node) implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    record RemoveNode(String eventId, int v, Instant at, String pod, String node) implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    /** Starts the next NEW node of a pod. */
    record Launch(String eventId, int v, Instant at, String pod) implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    /**
     * Lists nodes of one pod, or of every pod when {@code pod} is null, one page at a time: at most
     * {@code limit} (null: the default), those after the node named {@code after}, in name order. Both
     * optional (added to v1).
     */
    record ListNodes(String eventId, int v, Instant at, String pod, Integer limit, String after)
            implements AdminRequest {
        public ListNodes(String eventId, int v, Instant at, String pod) {
            this(eventId, v, at, pod, null, null);
        }

        public String key() {
            return pod == null ? CLOUD_KEY : pod;
        }
    }

    record Pause(String eventId, int v, Instant at, String pod) implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    record Resume(String eventId, int v, Instant at, String pod) implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    /**
     * Mode, metric, target, step and the pod's own windows and cool-downs (whole seconds) are optional
     * (null keeps the pod's current choice).
     */
    record EnableElasticity(String eventId, int v, Instant at, String pod, Integer min, Integer max, String mode,
                            String metric, Double target, String step, Integer scaleOutWindowSeconds,
                            Integer scaleInWindowSeconds, Integer scaleOutCooldownSeconds,
                            Integer scaleInCooldownSeconds) implements AdminRequest {
        public EnableElasticity(String eventId, int v, Instant at, String pod, Integer min, Integer max) {
            this(eventId, v, at, pod, min, max, null, null, null, null);
        }

        public EnableElasticity(String eventId, int v, Instant at, String pod, Integer min, Integer max, String mode,
                                String metric, Double target, String step) {
            this(eventId, v, at, pod, min, max, mode, metric, target, step, null, null, null, null);
        }

        public String key() {
            return pod;
        }
    }

    record DisableElasticity(String eventId, int v, Instant at, String pod) implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    record SetThreshold(String eventId, int v, Instant at, String pod, Threshold threshold, Double value)
            implements AdminRequest {
        public String key() {
            return pod;
        }
    }

    /** Ends a queued or running job as ABORTED; keyed by the job id. */
    record AbortJob(String eventId, int v, Instant at, String jobId, String reason) implements AdminRequest {
        public String key() {
            return jobId;
        }
    }

    /** Every host the resource manager knows, with its state and whether it takes new nodes. */
    record ListHosts(String eventId, int v, Instant at) implements AdminRequest {
        public String key() {
            return CLOUD_KEY;
        }
    }

    /** No new nodes on this host; the nodes it runs stay (kubectl cordon). Keyed by the cloud: a cordon is its record. */
    record CordonHost(String eventId, int v, Instant at, String hostId) implements AdminRequest {
        public String key() {
            return CLOUD_KEY;
        }
    }

    /** The host takes new nodes again; a drain of it stops (moves already started finish). */
    record UncordonHost(String eventId, int v, Instant at, String hostId) implements AdminRequest {
        public String key() {
            return CLOUD_KEY;
        }
    }

    /** Cordons the host and moves each of its nodes to another host, the replacement ONLINE first (kubectl drain). */
    record DrainHost(String eventId, int v, Instant at, String hostId) implements AdminRequest {
        public String key() {
            return CLOUD_KEY;
        }
    }

    /**
     * Stores an API token on {@code tokens}: its public id, who it is for, its role, the SHA-256 of its secret
     * (the web service made the secret and shows it once; it never travels) and when it ends (null: never).
     * {@code createdBy} is the id of the token that asked.
     */
    record CreateToken(String eventId, int v, Instant at, String id, String name, String role, String hash,
                       Instant expiresAt, String createdBy) implements AdminRequest {
        public String key() {
            return CLOUD_KEY;
        }

        @Override
        public String toString() {
            return "CreateToken[" + id + " " + name + " " + role + "]";
        }
    }

    /** Removes an API token (a tombstone on {@code tokens}): it is refused from then on. */
    record RevokeToken(String eventId, int v, Instant at, String id, String revokedBy) implements AdminRequest {
        public String key() {
            return CLOUD_KEY;
        }
    }

    /** Stores a join token for host {@code hostId} on {@code tokens} (its SHA-256 only), valid until {@code expiresAt}. */
    record CreateJoinToken(String eventId, int v, Instant at, String id, String hostId, String hash, Instant expiresAt,
                           String createdBy) implements AdminRequest {
        public String key() {
            return CLOUD_KEY;
        }
    }
}
