package cms.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the frontends listen: configured (an address, or 0.0.0.0 for all), loopback only by default. */
class BalancerConfigTest {

    private static BalancerConfig config(Map<String, String> more) {
        java.util.Map<String, String> env = new java.util.HashMap<>(Map.of("CMS_KAFKA", "10.0.0.1:9092"));
        env.putAll(more);
        return BalancerConfig.from(new Settings(env));
    }

    @Test
    void frontendAddressFromConfigurationLoopbackByDefault() {
        assertEquals("127.0.0.1", config(Map.of()).address());
        assertEquals("10.0.0.2", config(Map.of("CMS_BALANCER_ADDRESS", "10.0.0.2")).address());
        assertEquals("0.0.0.0", config(Map.of("CMS_BALANCER_ADDRESS", "0.0.0.0")).address());
        assertEquals("fd00::2", config(Map.of("CMS_BALANCER_ADDRESS", "[fd00::2]")).address());
    }

    @Test
    void badAddressIsOneLineNamingTheKey() {
        assertEquals("CMS_BALANCER_ADDRESS: 'lb:5000' is not an address: give it without a port (the port is a "
                + "setting of its own)", assertThrows(ConfigException.class,
                () -> config(Map.of("CMS_BALANCER_ADDRESS", "lb:5000"))).getMessage());
    }

    @Test
    void aRequestHeldForAPodAtZeroWaitsThirtySecondsByDefaultAndLessThanTheServerTimeout() {
        assertEquals(java.time.Duration.ofSeconds(30), config(Map.of()).hold());
        assertEquals(0, config(Map.of()).activatorPort());
        assertEquals(java.time.Duration.ofSeconds(5), config(Map.of("CMS_BALANCER_HOLD_MS", "5000")).hold());
        assertEquals(java.time.Duration.ofSeconds(1), config(Map.of("CMS_BALANCER_SERVER_TIMEOUT_MS", "2000")).hold(),
                "half a short server timeout");
        assertEquals("CMS_BALANCER_HOLD_MS: 60000 must be below the server timeout 60000 ms (CMS_BALANCER_SERVER_TIMEOUT_MS):"
                + " a held request must still have time for its node's answer", assertThrows(ConfigException.class,
                () -> config(Map.of("CMS_BALANCER_HOLD_MS", "60000"))).getMessage());
    }
}
