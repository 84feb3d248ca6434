package cms.balancer;

import cms.core.config.ConfigException;
import cms.core.config.NetAddress;
import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import cms.core.model.JobTimeLimit;
import cms.core.model.ScaleFromZero;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the balancer: {@code CMS_KAFKA}; {@code CMS_BALANCER} ({@code auto} (default): HAProxy
 * when its binary is found, else the embedded proxy; or {@code haproxy} / {@code embedded});
 * {@code CMS_HAPROXY_BIN} (default haproxy); {@code CMS_BALANCER_ADDRESS} (where frontends listen:
 * this machine's address that the resource manager and clients reach, or 0.0.0.0 for all; default 127.0.0.1); {@code CMS_BALANCER_DIR} (HAProxy's files; default .cms/balancer);
 * {@code CMS_BALANCER_DRAIN_TIMEOUT_MS} (default 10000: a draining server with sessions left is taken
 * out anyway after this); {@code CMS_BALANCER_TICK_MS} (default 250); {@code CMS_BALANCER_SERVER_TIMEOUT_MS}
 * (default 60000: how long a frontend waits for a node's answer to an ordinary request; a job's attempt
 * brings its own limit in {@link JobTimeLimit#HEADER}, up to {@value JobTimeLimit#MAX_SECONDS} s).
 * Pods that scale from zero: {@code CMS_BALANCER_HOLD_MS} (default 30000, or half the server timeout when that is
 * shorter; below the server timeout: how long a request to such a pod waits in the activator for its first node
 * before a 503) and
 * {@code CMS_BALANCER_ACTIVATOR_PORT} (default 0: any free port; the activator listens on loopback only).
 */
public record BalancerConfig(KafkaSettings kafka, String kind, String haproxyBinary, String address, Path dir,
                             Duration drainTimeout, Duration tick, Duration serverTimeout, Duration hold,
                             int activatorPort) {

    private static final Set<String> KINDS = Set.of("auto", "haproxy", "embedded");

    public static BalancerConfig from(Settings s) {
        String kind = s.string("CMS_BALANCER", "auto");
        if (!KINDS.contains(kind)) {
            throw new ConfigException("CMS_BALANCER: '" + kind + "' is not one of auto, haproxy, embedded");
        }
        Duration serverTimeout = s.millis("CMS_BALANCER_SERVER_TIMEOUT_MS", Duration.ofSeconds(60), Duration.ofMillis(100),
                Duration.ofSeconds(JobTimeLimit.MAX_SECONDS));
        Duration hold = ScaleFromZero.DEFAULT_HOLD.compareTo(serverTimeout.dividedBy(2)) < 0 ? ScaleFromZero.DEFAULT_HOLD
                : serverTimeout.dividedBy(2);
        return new BalancerConfig(KafkaSettings.from(s), kind, s.string("CMS_HAPROXY_BIN", "haproxy"),
                s.bindAddress("CMS_BALANCER_ADDRESS", NetAddress.LOOPBACK), Path.of(s.string("CMS_BALANCER_DIR",
                        Path.of(".cms", "balancer").toString())),
                s.millis("CMS_BALANCER_DRAIN_TIMEOUT_MS", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(10)),
                s.millis("CMS_BALANCER_TICK_MS", Duration.ofMillis(250), Duration.ofMillis(20), Duration.ofSeconds(10)),
                serverTimeout, s.millis("CMS_BALANCER_HOLD_MS", hold, Duration.ofMillis(100), Duration.ofMinutes(10)),
                s.integer("CMS_BALANCER_ACTIVATOR_PORT", 0, 0, 65535)).checked();
    }

    private BalancerConfig checked() {
        if (hold.compareTo(serverTimeout) >= 0) {
            throw new ConfigException("CMS_BALANCER_HOLD_MS: " + hold.toMillis() + " must be below the server timeout "
                    + serverTimeout.toMillis() + " ms (CMS_BALANCER_SERVER_TIMEOUT_MS): a held request must still "
                    + "have time for its node's answer");
        }
        return this;
    }
}
