package cms.web;

import cms.core.config.NetAddress;
import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import java.time.Duration;

/**
 * Settings of the web service: {@code CMS_KAFKA}; {@code CMS_WEB_HOST} (the address the API listens on, or 0.0.0.0 for
 * all; default 127.0.0.1);
 * {@code CMS_WEB_PORT} (default 8080; 0 picks a free port); {@code CMS_ADMIN_TIMEOUT_MS} (default 5000:
 * how long a request waits for the resource manager before the API answers 503);
 * {@code CMS_WEB_JOB_HISTORY} (default 200000, as the resource manager's window: ended jobs the job API remembers
 * besides those not ended; the one that ended first is forgotten first and then answers 404);
 * {@code CMS_WEB_JOB_MAX_PAYLOAD_BYTES} (default 262144: larger job payloads are refused with 400);
 * {@code CMS_RM_JOB_QUEUE_LIMIT} (default 10000, shared with the resource manager: a job for a pod with that
 * many jobs waiting is refused with 429); {@code CMS_WEB_ALLOWED_HOSTS} (comma-separated host names the API
 * answers to besides loopback and its own address, e.g. the name operators reach it by; see {@link RequestGuard}).
 */
public record WebConfig(KafkaSettings kafka, String host, int port, Duration adminTimeout, int jobHistory,
                        int jobMaxPayloadBytes, int jobQueueLimit, java.util.Set<String> allowedHosts) {

    public static WebConfig from(Settings s) {
        return new WebConfig(KafkaSettings.from(s), s.bindAddress("CMS_WEB_HOST", NetAddress.LOOPBACK),
                s.integer("CMS_WEB_PORT", 8080, 0, 65535),
                s.millis("CMS_ADMIN_TIMEOUT_MS", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(5)),
                s.integer("CMS_WEB_JOB_HISTORY", 200_000, 100, 10_000_000),
                s.integer("CMS_WEB_JOB_MAX_PAYLOAD_BYTES", 256 * 1024, 16, 900 * 1024),
                cms.core.model.JobQueueLimit.from(s), allowedHosts(s.string("CMS_WEB_ALLOWED_HOSTS", "")));
    }

    private static java.util.Set<String> allowedHosts(String list) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String h : list.split(",")) {
            String name = h.strip();
            if (name.isEmpty()) {
                continue;
            }
            boolean dns = name.matches("[A-Za-z0-9.-]+");
            boolean ipv6 = name.matches("\\[[0-9A-Fa-f:]+]") || name.matches("[0-9A-Fa-f:]+") && name.indexOf(':') != name.lastIndexOf(':');
            if (!dns && !ipv6) {
                throw new cms.core.config.ConfigException("CMS_WEB_ALLOWED_HOSTS: '" + name
                        + "' is not a host name (no scheme, no port)");
            }
            out.add(name);
        }
        return java.util.Set.copyOf(out);
    }
}
