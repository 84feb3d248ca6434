package cms.rm.service;

import cms.core.config.ConfigException;
import cms.core.config.NetAddress;
import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import cms.core.model.ImageAllowList;
import cms.rm.model.AdminDecisions;
import cms.rm.model.DrainTimeouts;
import cms.rm.model.JobBook;
import cms.rm.model.Placement;
import cms.rm.model.RepairSettings;
import java.time.Duration;

/**
 * Settings of the resource manager: {@code CMS_KAFKA}; {@code CMS_RM_CPU_OVERCOMMIT} (default 4.0: CPU
 * limits of nodes on a host may add up to 4× its cores); {@code CMS_RM_HOST_LIVENESS_MS} (default 5000:
 * a host not heard from for this long gets no new nodes and is LOST: its nodes are failed and launched again
 * on other hosts, see {@link cms.rm.model.HostLiveness}); {@code CMS_RM_TRANSACTIONAL_ID} (default
 * {@code cms-rm}: one resource manager per id; a second one fences the first); {@code CMS_RM_DRAIN_TIMEOUT_MS}
 * (default 30000: a node being removed that the balancer has not reported drained by then is stopped);
 * {@code CMS_RM_FRONTEND_BASE_PORT} (default 5000: the first load-balancer port given to a pod).
 * Jobs: {@code CMS_RM_FRONTEND_HOST} (where the pods' load-balancer frontends are reached, i.e. the
 * balancer's machine; default {@code CMS_BALANCER_ADDRESS} when that is set and no wildcard, else 127.0.0.1); {@code CMS_RM_JOBS_PER_NODE} (default 8: jobs running at once per ONLINE node of a pod);
 * {@code CMS_RM_JOBS_AHEAD} (default 8: a transaction may commit up to that many times a pod's slots of its jobs
 * RUNNING; those beyond the free slots wait in the resource manager and are sent the moment a slot frees, so
 * the slots do not wait for Kafka; 1 sends only what the slots take now);
 * {@code CMS_RM_JOB_TIMEOUT_MS} (default 60000: time limit of an attempt when the job sets none);
 * {@code CMS_RM_JOB_ATTEMPTS} (default 5: attempts when no node answers); {@code CMS_RM_JOB_MAX_PAYLOAD_BYTES}
 * (default 262144); {@code CMS_RM_JOB_HISTORY} (default 200000: ended job ids remembered, so a job
 * submitted again runs once).
 * Node repairs ({@link RepairSettings}): {@code CMS_RM_RESTART_BACKOFF_MIN_MS} (default 10000: the first wait
 * before a FAILED node is launched again, doubled on each failure) up to {@code CMS_RM_RESTART_BACKOFF_MAX_MS}
 * (default 300000), back to the first once the node stayed ONLINE for {@code CMS_RM_RESTART_BACKOFF_RESET_MS}
 * (default 600000); {@code CMS_RM_START_TIMEOUT_MS} (default 120000: a node STARTING longer is FAILED and
 * stopped); {@code CMS_RM_NODE_RETENTION_MS} (default 900000: how long FAILED and STOPPED nodes that will
 * not run again stay listed) and {@code CMS_RM_NODES_RETAINED_PER_POD} (default 20: at most that many per pod).
 * {@code CMS_IMAGE_ALLOW} ({@link ImageAllowList}; default unset: every image): the images pods may be
 * registered with; another is refused with 403.
 * {@code CMS_RM_ADMIN_TOKEN_FILE} (default unset): a file holding an admin API token (its text, or a client
 * configuration with a {@code token} field); the resource manager stores it on {@code tokens} at each start,
 * so an install's first token always works ({@code cms dev} makes one and writes it for {@code cloud}).
 * {@code CMS_RM_HOST_ADMISSION} ({@code token}, the default, or {@code open}; {@link cms.rm.model.HostAdmission}):
 * whether a host must present a join token before the resource manager listens to it;
 * {@code CMS_RM_TRUSTED_HOSTS} (comma-separated host ids, default none): hosts listened to without one
 * ({@code cms dev} names its own).
 */
public record ResourceManagerConfig(KafkaSettings kafka, double cpuOvercommit, Duration hostLiveness,
                                    String transactionalId, Duration drainTimeout, int frontendBasePort,
                                    String frontendHost, Duration jobTimeout, JobBook.Limits jobLimits,
                                    int maxResultBytes, int jobsAhead, RepairSettings repairs, ImageAllowList images,
                                    cms.core.auth.TokenSecret adminToken, cms.rm.model.HostAdmission.Mode hostAdmission,
                                    java.util.Set<String> trustedHosts) {

    /** The most of a workload's answer kept as a job's result (the rest is counted, not kept). */
    public static final int DEFAULT_MAX_RESULT_BYTES = 256 * 1024;
    /** How many times its slots a pod's jobs may be RUNNING (committed, handed to the dispatcher) at once. */
    public static final int DEFAULT_JOBS_AHEAD = 8;

    public static ResourceManagerConfig from(Settings s) {
        return new ResourceManagerConfig(KafkaSettings.from(s),
                s.decimal("CMS_RM_CPU_OVERCOMMIT", Placement.DEFAULT_CPU_OVERCOMMIT, 0.1, 100),
                s.millis("CMS_RM_HOST_LIVENESS_MS", Placement.DEFAULT_LIVENESS, Duration.ofMillis(500),
                        Duration.ofMinutes(10)),
                s.string("CMS_RM_TRANSACTIONAL_ID", "cms-rm"),
                s.millis("CMS_RM_DRAIN_TIMEOUT_MS", DrainTimeouts.DEFAULT, Duration.ofMillis(100), Duration.ofHours(1)),
                s.integer("CMS_RM_FRONTEND_BASE_PORT", AdminDecisions.DEFAULT_FRONTEND_BASE, 1024, 65535),
                frontendHost(s),
                s.millis("CMS_RM_JOB_TIMEOUT_MS", Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofHours(1)),
                new JobBook.Limits(s.integer("CMS_RM_JOBS_PER_NODE", JobBook.Limits.DEFAULTS.perNode(), 1, 1000),
                        s.integer("CMS_RM_JOB_ATTEMPTS", JobBook.Limits.DEFAULTS.maxAttempts(), 1, 100),
                        JobBook.Limits.DEFAULTS.firstBackoff(),
                        s.integer("CMS_RM_JOB_MAX_PAYLOAD_BYTES", JobBook.Limits.DEFAULTS.maxPayloadBytes(), 16,
                                900 * 1024),
                        JobBook.Limits.DEFAULTS.maxTimeoutSeconds(),
                        s.integer("CMS_RM_JOB_HISTORY", JobBook.Limits.DEFAULTS.history(), 1000, 50_000_000),
                        cms.core.model.JobQueueLimit.from(s),
                        s.integer("CMS_RM_JOB_LIVE_BYTES_MB", (int) (JobBook.Limits.DEFAULT_MAX_LIVE_BYTES >> 20), 1,
                                1 << 20) * 1024L * 1024L,
                        s.millis("CMS_RM_JOB_NO_SERVER_WAIT_MS", JobBook.Limits.DEFAULT_NO_SERVER_WAIT, Duration.ZERO,
                                Duration.ofHours(24))),
                s.integer("CMS_RM_JOB_MAX_RESULT_BYTES", DEFAULT_MAX_RESULT_BYTES, 1024, 768 * 1024),
                s.integer("CMS_RM_JOBS_AHEAD", DEFAULT_JOBS_AHEAD, 1, 64),
                repairs(s), ImageAllowList.from(s), adminToken(s), hostAdmission(s), trustedHosts(s));
    }

    private static cms.rm.model.HostAdmission.Mode hostAdmission(Settings s) {
        String mode = s.string("CMS_RM_HOST_ADMISSION", "token");
        try {
            return cms.rm.model.HostAdmission.Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("CMS_RM_HOST_ADMISSION: " + e.getMessage());
        }
    }

    private static java.util.Set<String> trustedHosts(Settings s) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String h : s.string("CMS_RM_TRUSTED_HOSTS", "").split(",")) {
            String id = h.strip();
            if (id.isEmpty()) {
                continue;
            }
            cms.core.model.Names.hostIdProblem(id).ifPresent(p -> {
                throw new ConfigException("CMS_RM_TRUSTED_HOSTS: '" + id + "': " + p);
            });
            out.add(id);
        }
        return java.util.Set.copyOf(out);
    }

    private static cms.core.auth.TokenSecret adminToken(Settings s) {
        String file = s.string("CMS_RM_ADMIN_TOKEN_FILE", "");
        return file.isBlank() ? null : cms.core.auth.TokenFile.read("CMS_RM_ADMIN_TOKEN_FILE", java.nio.file.Path.of(file));
    }

    /**
     * Where jobs are sent: {@code CMS_RM_FRONTEND_HOST}, else the balancer's {@code CMS_BALANCER_ADDRESS} when
     * it is one address (the same environment, as in {@code cms dev}), else 127.0.0.1.
     */
    static String frontendHost(Settings s) {
        String balancer = s.bindAddress("CMS_BALANCER_ADDRESS", NetAddress.LOOPBACK);
        return s.advertisedAddress("CMS_RM_FRONTEND_HOST", NetAddress.isWildcard(balancer) ? NetAddress.LOOPBACK
                : balancer);
    }

    private static RepairSettings repairs(Settings s) {
        RepairSettings d = RepairSettings.DEFAULTS;
        Duration min = s.millis("CMS_RM_RESTART_BACKOFF_MIN_MS", d.backoffMin(), Duration.ofMillis(100),
                Duration.ofHours(1));
        Duration max = s.millis("CMS_RM_RESTART_BACKOFF_MAX_MS", d.backoffMax(), Duration.ofMillis(100),
                Duration.ofHours(24));
        if (max.compareTo(min) < 0) {
            throw new ConfigException("CMS_RM_RESTART_BACKOFF_MAX_MS (" + max.toMillis()
                    + ") must not be below CMS_RM_RESTART_BACKOFF_MIN_MS (" + min.toMillis() + ")");
        }
        return new RepairSettings(min, max,
                s.millis("CMS_RM_RESTART_BACKOFF_RESET_MS", d.backoffReset(), Duration.ofMillis(100), Duration.ofDays(1)),
                s.millis("CMS_RM_START_TIMEOUT_MS", d.startTimeout(), Duration.ofMillis(100), Duration.ofHours(1)),
                s.millis("CMS_RM_NODE_RETENTION_MS", d.retention(), Duration.ZERO, Duration.ofDays(7)),
                s.integer("CMS_RM_NODES_RETAINED_PER_POD", d.retainedPerPod(), 0, 1000));
    }

    public Placement placement() {
        return new Placement(hostLiveness, cpuOvercommit);
    }
}
