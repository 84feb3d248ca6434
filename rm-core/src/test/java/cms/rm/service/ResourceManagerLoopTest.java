package cms.rm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resource manager's producer retries its transactional requests after 5 ms, unless the operator says otherwise. */
class ResourceManagerLoopTest {

    @TempDir
    Path dir;

    @Test
    void transactionalRequestsAreRetriedSoon() {
        Map<String, Object> p = ResourceManagerLoop.producerProperties(ResourceManagerConfigTest.config());

        assertEquals(5, p.get("retry.backoff.ms"));
        assertEquals(ResourceManagerConfigTest.config().transactionalId(), p.get("transactional.id"));
    }

    @Test
    void theOperatorsRetryBackOffWins() throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "retry.backoff.ms=50\n");

        Map<String, Object> p = ResourceManagerLoop.producerProperties(ResourceManagerConfigTest.config("CMS_KAFKA_CONFIG", file.toString()));

        assertEquals("50", p.get("retry.backoff.ms"));
    }
}
