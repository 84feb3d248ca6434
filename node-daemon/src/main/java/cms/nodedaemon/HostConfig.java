package cms.nodedaemon;

import cms.core.config.NetAddress;
import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Settings of a node daemon's host: {@code CMS_HOST_ID} (default: the machine's host name),
 * {@code CMS_HOST_ADDRESS} (the address nodes are published on, which the balancer's machine must reach; no
 * wildcard; default 127.0.0.1),
 * {@code CMS_HOST_CPUS} and {@code CMS_HOST_MEMORY_MB} (capacity; detected when unset) and
 * {@code CMS_HEARTBEAT_MS} (default 1000).
 */
public record HostConfig(KafkaSettings kafka, String hostId, String address, double cpus, long memoryMb,
                         Duration heartbeat, String joinToken) {

    /** Never the join token. */
    @Override
    public String toString() {
        return "HostConfig[" + hostId + " " + address + ", " + cpus + " CPU, " + memoryMb + " MB, heartbeat "
                + heartbeat + (joinToken == null ? "" : ", a join token") + "]";
    }

    /**
     * The join token this host presents when it joins: {@code CMS_JOIN_TOKEN}, else the file
     * {@code CMS_JOIN_TOKEN_FILE} names; null when neither is set (a trusted host, or one already admitted).
     */
    static String joinToken(Settings s) {
        String token = s.string("CMS_JOIN_TOKEN", "").strip();
        if (!token.isEmpty()) {
            return token;
        }
        String file = s.string("CMS_JOIN_TOKEN_FILE", "").strip();
        return file.isEmpty() ? null : cms.core.auth.TokenFile.read("CMS_JOIN_TOKEN_FILE", java.nio.file.Path.of(file))
                .text();
    }

    public static HostConfig from(Settings s, HostProbe probe) {
        return new HostConfig(KafkaSettings.from(s), s.string("CMS_HOST_ID", localHostName()),
                s.advertisedAddress("CMS_HOST_ADDRESS", NetAddress.LOOPBACK),
                s.decimal("CMS_HOST_CPUS", probe.cpus(), 0.1, 4096),
                s.integer("CMS_HOST_MEMORY_MB", (int) Math.min(Integer.MAX_VALUE, probe.memoryMb()), 16,
                        Integer.MAX_VALUE),
                s.millis("CMS_HEARTBEAT_MS", Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofMinutes(1)),
                joinToken(s));
    }

    public static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
