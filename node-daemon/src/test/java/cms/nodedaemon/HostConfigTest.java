package cms.nodedaemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A host's advertised address: where its nodes listen and the balancer reaches them; never a wildcard. */
class HostConfigTest {

    private static final HostProbe TWO_CPUS = new HostProbe() {
        @Override
        public double cpus() {
            return 2;
        }

        @Override
        public long memoryMb() {
            return 4096;
        }
    };

    private static HostConfig config(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("CMS_KAFKA", "10.0.0.1:9092", "CMS_HOST_ID", "m3"));
        env.putAll(more);
        return HostConfig.from(new Settings(env), TWO_CPUS);
    }

    @Test
    void addressFromConfigurationLoopbackByDefault() {
        assertEquals("127.0.0.1", config(Map.of()).address());
        assertEquals("10.0.0.3", config(Map.of("CMS_HOST_ADDRESS", "10.0.0.3")).address());
        assertEquals("m3.example.org", config(Map.of("CMS_HOST_ADDRESS", "m3.example.org")).address());
    }

    @Test
    void wildcardOrBadAddressIsRefusedInOneLine() {
        assertEquals("CMS_HOST_ADDRESS: 0.0.0.0 is the wildcard address; give the address other machines reach this "
                + "one at, e.g. 10.0.0.2", assertThrows(ConfigException.class,
                () -> config(Map.of("CMS_HOST_ADDRESS", "0.0.0.0"))).getMessage());
        assertEquals("CMS_HOST_ADDRESS: '10.0.0.3.4' is not an IPv4 address", assertThrows(ConfigException.class,
                () -> config(Map.of("CMS_HOST_ADDRESS", "10.0.0.3.4"))).getMessage());
    }
}
