package cms.rm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.core.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resource manager's producer retries its transactional requests after 5 ms, unless the operator says otherwise. */
class ResourceManagerLoopTest {

    @TempDir
    Path dir;

    private static ResourceManagerConfig config(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("CMS_KAFKA", "127.0.0.1:9092"));
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return ResourceManagerConfig.from(new Settings(env));
    }

    @Test
    void transactionalRequestsAreRetriedSoon() {
        Map<String, Object> p = ResourceManagerLoop.producerProperties(config());

        assertEquals(5, p.get("retry.backoff.ms"));
        assertEquals(config().transactionalId(), p.get("transactional.id"));
    }

    @Test
    void theOperatorsRetryBackOffWins() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "retry.backoff.ms=50\n");

        Map<String, Object> p = ResourceManagerLoop.producerProperties(config("CMS_KAFKA_CONFIG", file.toString()));

        assertEquals("50", p.get("retry.backoff.ms"));
    }
}
