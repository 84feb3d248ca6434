package cms.rm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the resource manager sends jobs: the frontends' address, from configuration, loopback only by default. */
class ResourceManagerConfigTest {

    static ResourceManagerConfig config(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("CMS_KAFKA", "10.0.0.1:9092"));
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return ResourceManagerConfig.from(new Settings(env));
    }

    @Test
    void frontendHostIsTheBalancersMachineWhenConfigured() {
        assertEquals("10.0.0.2", config("CMS_RM_FRONTEND_HOST", "10.0.0.2").frontendHost());
        assertEquals("fd00::2", config("CMS_RM_FRONTEND_HOST", "[fd00::2]").frontendHost());
    }

    @Test
    void frontendHostDefaultsToTheBalancersAddressThenLoopback() {
        assertEquals("127.0.0.1", config().frontendHost(), "one machine");
        assertEquals("10.0.0.2", config("CMS_BALANCER_ADDRESS", "10.0.0.2").frontendHost(),
                "cms dev, or one environment for both: the frontends are where the balancer listens");
        assertEquals("127.0.0.1", config("CMS_BALANCER_ADDRESS", "0.0.0.0").frontendHost(),
                "a balancer listening everywhere is reached on loopback from its own machine");
        assertEquals("10.0.0.2", config("CMS_BALANCER_ADDRESS", "0.0.0.0", "CMS_RM_FRONTEND_HOST", "10.0.0.2")
                .frontendHost());
    }

    @Test
    void badFrontendHostIsOneLineNamingTheKey() {
        assertEquals("CMS_RM_FRONTEND_HOST: 0.0.0.0 is the wildcard address; give the address other machines reach "
                + "this one at, e.g. 10.0.0.2", assertThrows(ConfigException.class,
                () -> config("CMS_RM_FRONTEND_HOST", "0.0.0.0")).getMessage());
        assertEquals("CMS_RM_FRONTEND_HOST: '10.0.0.2:5000' is not an address: give it without a port (the port is a "
                + "setting of its own)", assertThrows(ConfigException.class,
                () -> config("CMS_RM_FRONTEND_HOST", "10.0.0.2:5000")).getMessage());
        assertEquals("CMS_BALANCER_ADDRESS: '10.0.0.256' is not an IPv4 address", assertThrows(ConfigException.class,
                () -> config("CMS_BALANCER_ADDRESS", "10.0.0.256")).getMessage());
    }
}
