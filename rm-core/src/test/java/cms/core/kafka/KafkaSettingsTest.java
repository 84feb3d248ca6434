package cms.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CMS_KAFKA must be a HOST:PORT list; the client properties every service shares. */
class KafkaSettingsTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost:9092", "kafka-1:9092,kafka-2:9093", "10.0.0.5:19092", "[::1]:9092"})
    void acceptsHostPortLists(String servers) {
        assertEquals(servers, new KafkaSettings(servers).bootstrapServers());
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:", ":9092", "localhost:ninety", "a:9092,,b:9092", "a:99999", "a:0", "a:9092,", "a;b:9092"})
    void refusesWhatIsNotHostPortAndNamesTheKey(String servers) {
        ConfigException e = assertThrows(ConfigException.class, () -> new KafkaSettings(servers));
        assertTrue(e.getMessage().startsWith("CMS_KAFKA: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("is not HOST:PORT"), e.getMessage());
    }

    @Test
    void namesTheBadEntryOfAList() {
        ConfigException e = assertThrows(ConfigException.class, () -> new KafkaSettings("a:9092,b"));
        assertEquals("CMS_KAFKA: 'b' is not HOST:PORT", e.getMessage());
    }

    @Test
    void refusesMissingOrBlank() {
        assertEquals("CMS_KAFKA: no Kafka bootstrap servers given",
                assertThrows(ConfigException.class, () -> new KafkaSettings(null)).getMessage());
        assertThrows(ConfigException.class, () -> new KafkaSettings("  "));
    }

    @Test
    void readsFromSettings() {
        assertEquals("k:9092", KafkaSettings.from(new Settings(Map.of("CMS_KAFKA", " k:9092 "))).bootstrapServers());
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaSettings.from(new Settings(Map.of())));
        assertTrue(e.getMessage().contains(KafkaSettings.KEY), e.getMessage());
    }

    @Test
    void producerIsIdempotentAndTransactionalOnlyWhenAsked() {
        KafkaSettings kafka = new KafkaSettings("k:9092");
        Map<String, Object> plain = kafka.producer("rm", null);
        assertEquals("k:9092", plain.get("bootstrap.servers"));
        assertEquals("rm", plain.get("client.id"));
        assertEquals("all", plain.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(true, plain.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertFalse(plain.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
        assertEquals("rm-tx", kafka.producer("rm", "rm-tx").get(ProducerConfig.TRANSACTIONAL_ID_CONFIG));
    }

    @Test
    void consumerReadsCommittedAndCommitsItself() {
        KafkaSettings kafka = new KafkaSettings("k:9092");
        Map<String, Object> grouped = kafka.consumer("rm", "rm-group");
        assertEquals("read_committed", grouped.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals(false, grouped.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("earliest", grouped.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        assertEquals("rm-group", grouped.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertFalse(kafka.consumer("rm", null).containsKey(ConsumerConfig.GROUP_ID_CONFIG));
    }

    @Test
    void theOperatorsClientPropertiesGoIntoEveryClientAndAreNeverPrinted(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, """
                # SCRAM over TLS
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="rm" password="s3cret";
                ssl.truststore.location=/etc/cms/truststore.p12
                linger.ms = 5
                """);
        KafkaSettings kafka = KafkaSettings.from(new Settings(Map.of("CMS_KAFKA", "k:9093",
                "CMS_KAFKA_CONFIG", file.toString())));
        for (Map<String, Object> props : new Map[] {kafka.common("a"), kafka.producer("p", "tx"),
                kafka.consumer("c", "g"), kafka.boundedProducer("b", java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(2))}) {
            assertEquals("SASL_SSL", props.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", props.get("sasl.mechanism"));
            assertTrue(String.valueOf(props.get("sasl.jaas.config")).contains("username=\"rm\""));
            assertEquals("k:9093", props.get("bootstrap.servers"));
        }
        assertEquals("5", kafka.producer("p", null).get(ProducerConfig.LINGER_MS_CONFIG), "tuning is the operator's");
        assertEquals("read_committed", kafka.consumer("c", "g").get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        String printed = kafka.toString();
        assertFalse(printed.contains("s3cret"), printed);
        assertTrue(printed.contains("sasl.jaas.config"), printed);
    }

    @Test
    void propertiesThatExactlyOnceRestsOnAreRefusedWithTheKeyNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "security.protocol=SSL\nisolation.level=read_uncommitted\n");
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaSettings.from(new Settings(Map.of(
                "CMS_KAFKA", "k:9093", "CMS_KAFKA_CONFIG", file.toString()))));
        assertEquals("CMS_KAFKA_CONFIG: 'isolation.level' is set by CMS itself and may not be changed", e.getMessage());
    }

    @Test
    void aMissingPropertiesFileIsAOneLineError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaSettings.from(new Settings(Map.of(
                "CMS_KAFKA", "k:9093", "CMS_KAFKA_CONFIG", missing.toString()))));
        assertTrue(e.getMessage().startsWith("CMS_KAFKA_CONFIG: cannot read " + missing), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
