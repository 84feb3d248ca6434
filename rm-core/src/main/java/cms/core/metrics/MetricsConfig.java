package cms.core.metrics;

import cms.core.config.NetAddress;
import cms.core.config.Settings;

/**
 * Where a service serves {@code /metrics}: {@code CMS_METRICS_HOST} (the address, shared by the services of a
 * machine; default 127.0.0.1, 0.0.0.0 for all) and the service's own port key ({@code 0} picks a free port).
 */
public record MetricsConfig(String host, int port) {

    public static final String HOST_KEY = "CMS_METRICS_HOST";

    /** The services that serve {@code /metrics} on a port of their own, with their port key and default port. */
    public enum Service {
        RESOURCE_MANAGER("rm", "CMS_RM_METRICS_PORT", 9471),
        NODE_DAEMON("node-daemon", "CMS_NODE_METRICS_PORT", 9472),
        ELASTICITY("elasticity", "CMS_ELASTICITY_METRICS_PORT", 9473),
        BALANCER("balancer", "CMS_BALANCER_METRICS_PORT", 9474);

        private final String label;
        private final String portKey;
        private final int defaultPort;

        Service(String label, String portKey, int defaultPort) {
            this.label = label;
            this.portKey = portKey;
            this.defaultPort = defaultPort;
        }

        /** Its name in logs, in {@code cms dev}'s output and as Prometheus's job. */
        public String label() {
            return label;
        }

        public String portKey() {
            return portKey;
        }

        public int defaultPort() {
            return defaultPort;
        }
    }

    public static MetricsConfig from(Settings s, Service service) {
        return new MetricsConfig(s.bindAddress(HOST_KEY, NetAddress.LOOPBACK),
                s.integer(service.portKey(), service.defaultPort(), 0, 65535));
    }
}
