package cms.core.topic;

import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.DeadLetter;
import cms.core.event.Event;
import cms.core.event.HostEvent;
import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import cms.core.event.JobSubmission;
import cms.core.event.MetricSample;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.event.TokenRecord;
import java.util.List;
import java.util.Map;

/**
 * Every topic of the CMS contract, with its partition count and cleanup policy. The one place where a
 * topic name is spelled.
 */
public enum Topics {
    JOBS("jobs", 6, Cleanup.DELETE, JobSubmission.class),
    JOB_EVENTS("job-events", 6, Cleanup.DELETE, JobEvent.class),
    JOB_STATE("job-state", 6, Cleanup.COMPACT, JobStateRecord.class),
    COMMANDS("commands", 3, Cleanup.DELETE, NodeCommand.class),
    NODE_EVENTS("node-events", 3, Cleanup.DELETE, NodeEvent.class),
    HOST_EVENTS("host-events", 3, Cleanup.DELETE, HostEvent.class),
    METRICS("metrics", 3, Cleanup.DELETE, MetricSample.class),
    SCALING("scaling", 3, Cleanup.DELETE, ScalingDecision.class),
    PODS("pods", 3, Cleanup.COMPACT, PodsRecord.class),
    ADMIN_REQUESTS("admin-requests", 3, Cleanup.DELETE, AdminRequest.class),
    ADMIN_REPLIES("admin-replies", 3, Cleanup.DELETE, AdminReply.class),
    TOKENS("tokens", 1, Cleanup.COMPACT, TokenRecord.class),
    DEAD_LETTER("dead-letter", 1, Cleanup.DELETE, DeadLetter.class);

    /** Kafka's {@code cleanup.policy} values that CMS uses. */
    public enum Cleanup {
        DELETE("delete"), COMPACT("compact");

        private final String config;

        Cleanup(String config) {
            this.config = config;
        }

        public String config() {
            return config;
        }
    }

    private final String topicName;
    private final int partitions;
    private final Cleanup cleanup;
    private final Class<? extends Event> eventType;

    Topics(String topicName, int partitions, Cleanup cleanup, Class<? extends Event> eventType) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.cleanup = cleanup;
        this.eventType = eventType;
    }

    /** The sealed interface (or record) whose types are this topic's values. */
    public Class<? extends Event> eventType() {
        return eventType;
    }

    public String topicName() {
        return topicName;
    }

    public int partitions() {
        return partitions;
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    /**
     * Topic-level configuration: cleanup policy, and for compacted topics a short segment so compaction runs (the
     * cleaner never touches the active segment, which rolls at 1 GiB or a week by Kafka's defaults).
     * {@code job-state} is written at the job rate (several records per job), and its readers must find it near its
     * live size: segments roll at 16 MiB or 10 min, tombstones of jobs that left the idempotency window are kept
     * 5 min (Kafka's default, a day, would keep a day of them for every reader), and a dirty segment is cleaned
     * within an hour even when the dirty ratio stays low.
     */
    public Map<String, String> configs() {
        if (this == JOB_STATE) {
            return Map.of("cleanup.policy", cleanup.config(), "segment.ms", "600000", "segment.bytes",
                    String.valueOf(16 * 1024 * 1024), "min.cleanable.dirty.ratio", "0.1", "delete.retention.ms",
                    "300000", "max.compaction.lag.ms", "3600000");
        }
        if (cleanup == Cleanup.COMPACT) {
            return Map.of("cleanup.policy", cleanup.config(), "segment.ms", "3600000",
                    "min.cleanable.dirty.ratio", "0.1");
        }
        return Map.of("cleanup.policy", cleanup.config(), "retention.ms", String.valueOf(7L * 24 * 3600 * 1000));
    }

    public static List<Topics> all() {
        return List.of(values());
    }

    public static Topics byName(String name) {
        for (Topics t : values()) {
            if (t.topicName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown topic " + name);
    }
}
