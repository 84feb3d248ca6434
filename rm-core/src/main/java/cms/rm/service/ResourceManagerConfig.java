package cms.rm.service;

import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import cms.rm.model.AdminDecisions;
import cms.rm.model.DrainTimeouts;
import cms.rm.model.Placement;
import java.time.Duration;

/**
 * Settings of the resource manager: {@code CMS_KAFKA}; {@code CMS_RM_CPU_OVERCOMMIT} (default 4.0: CPU
 * limits of nodes on a host may add up to 4× its cores); {@code CMS_RM_HOST_LIVENESS_MS} (default 5000:
 * a host not heard from for this long gets no new nodes); {@code CMS_RM_TRANSACTIONAL_ID} (default
 * {@code cms-rm}: one resource manager per id; a second one fences the first); {@code CMS_RM_DRAIN_TIMEOUT_MS}
 * (default 30000: a node being removed that the balancer has not reported drained by then is stopped);
 * {@code CMS_RM_FRONTEND_BASE_PORT} (default 5000: the first load-balancer port given to a pod).
 */
public record ResourceManagerConfig(KafkaSettings kafka, double cpuOvercommit, Duration hostLiveness,
                                    String transactionalId, Duration drainTimeout, int frontendBasePort) {

    public static ResourceManagerConfig from(Settings s) {
        return new ResourceManagerConfig(KafkaSettings.from(s),
                s.decimal("CMS_RM_CPU_OVERCOMMIT", Placement.DEFAULT_CPU_OVERCOMMIT, 0.1, 100),
                s.millis("CMS_RM_HOST_LIVENESS_MS", Placement.DEFAULT_LIVENESS, Duration.ofMillis(500),
                        Duration.ofMinutes(10)),
                s.string("CMS_RM_TRANSACTIONAL_ID", "cms-rm"),
                s.millis("CMS_RM_DRAIN_TIMEOUT_MS", DrainTimeouts.DEFAULT, Duration.ofMillis(100), Duration.ofHours(1)),
                s.integer("CMS_RM_FRONTEND_BASE_PORT", AdminDecisions.DEFAULT_FRONTEND_BASE, 1024, 65535));
    }

    public Placement placement() {
        return new Placement(hostLiveness, cpuOvercommit);
    }
}
