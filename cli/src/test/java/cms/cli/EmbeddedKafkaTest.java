package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The development broker listens on, and advertises, the address it is given (loopback unless told). */
class EmbeddedKafkaTest {

    @Test
    void theBrokerListensOnAndAdvertisesItsAddress() {
        Properties p = EmbeddedKafka.properties(Path.of("/tmp/x"), "10.213.1.1", 9092, 9093);
        assertEquals("PLAINTEXT://10.213.1.1:9092,CONTROLLER://10.213.1.1:9093", p.getProperty("listeners"));
        assertEquals("PLAINTEXT://10.213.1.1:9092", p.getProperty("advertised.listeners"));
        assertEquals("1@10.213.1.1:9093", p.getProperty("controller.quorum.voters"));
    }

    @Test
    void anIpv6AddressIsBracketed() {
        Properties p = EmbeddedKafka.properties(Path.of("/tmp/x"), "fd00::2", 9092, 9093);
        assertEquals("PLAINTEXT://[fd00::2]:9092", p.getProperty("advertised.listeners"));
    }
}
