package cms.nodedaemon;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import cms.nodedaemon.driver.NodeHardening;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of a node daemon beyond its host's ({@link HostConfig}): {@code CMS_NODE_DRIVER}
 * ({@code auto} (default): Docker when the engine answers and has the workload image, else local
 * processes; or {@code docker} / {@code process}); {@code CMS_DOCKER_HOST} (default {@code $DOCKER_HOST},
 * else unix:///var/run/docker.sock); {@code CMS_WORKLOAD_IMAGE} (default cms/workload:dev);
 * {@code CMS_NODE_PORTS} (a FROM-TO range for nodes' host ports; default: any free port);
 * {@code CMS_NODE_DIR} (process nodes' state; default .cms/nodes/HOST); {@code CMS_NODE_START_TIMEOUT_MS}
 * (default 60000: a node whose health check has not passed by then is FAILED);
 * {@code CMS_NODE_STOP_GRACE_MS} (default 10000: SIGTERM, then kill); {@code CMS_NODE_CHECK_MS} (default 250).
 * How containers are confined, and which images may run: {@link NodeHardening}.
 */
public record NodeDaemonConfig(HostConfig host, String driver, String dockerHost, String workloadImage,
                               String nodePorts, Path nodeDir, Duration startTimeout, Duration stopGrace,
                               Duration checkEvery, NodeHardening hardening) {

    private static final Set<String> DRIVERS = Set.of("auto", "docker", "process");

    public static NodeDaemonConfig from(Settings s, HostConfig host) {
        String driver = s.string("CMS_NODE_DRIVER", "auto");
        if (!DRIVERS.contains(driver)) {
            throw new ConfigException("CMS_NODE_DRIVER: '" + driver + "' is not one of auto, docker, process");
        }
        String dockerHost = s.string("CMS_DOCKER_HOST", s.string("DOCKER_HOST", "unix:///var/run/docker.sock"));
        return new NodeDaemonConfig(host, driver, dockerHost, s.string("CMS_WORKLOAD_IMAGE", "cms/workload:dev"),
                s.string("CMS_NODE_PORTS", ""),
                Path.of(s.string("CMS_NODE_DIR", Path.of(".cms", "nodes", host.hostId()).toString())),
                s.millis("CMS_NODE_START_TIMEOUT_MS", Duration.ofSeconds(60), Duration.ofSeconds(1),
                        Duration.ofMinutes(30)),
                s.millis("CMS_NODE_STOP_GRACE_MS", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(5)),
                s.millis("CMS_NODE_CHECK_MS", Duration.ofMillis(250), Duration.ofMillis(20), Duration.ofSeconds(10)),
                NodeHardening.from(s));
    }
}
