package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the API listens: configured (an address, or 0.0.0.0 for all), loopback only by default. */
class WebConfigTest {

    private static WebConfig config(Map<String, String> more) {
        Map<String, String> env = new HashMap<>(Map.of("CMS_KAFKA", "10.0.0.1:9092"));
        env.putAll(more);
        return WebConfig.from(new Settings(env));
    }

    @Test
    void bindAddressFromConfigurationLoopbackByDefault() {
        assertEquals("127.0.0.1", config(Map.of()).host());
        assertEquals("10.0.0.1", config(Map.of("CMS_WEB_HOST", "10.0.0.1")).host());
        assertEquals("0.0.0.0", config(Map.of("CMS_WEB_HOST", "0.0.0.0")).host());
    }

    @Test
    void badAddressIsOneLineNamingTheKey() {
        assertEquals("CMS_WEB_HOST: 'http://10.0.0.1:8080' is not an address: give the bare address, e.g. 10.0.0.2, "
                + "without scheme or path", assertThrows(ConfigException.class,
                () -> config(Map.of("CMS_WEB_HOST", "http://10.0.0.1:8080"))).getMessage());
    }
}
