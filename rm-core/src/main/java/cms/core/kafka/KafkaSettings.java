package cms.core.kafka;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where the Kafka cluster is ({@code CMS_KAFKA}) and the client properties every CMS service uses, plus
 * the operator's own client properties ({@code client}: read from the properties file named by {@code
 * CMS_KAFKA_CONFIG}), e.g. {@code security.protocol=SASL_SSL}, {@code sasl.mechanism=SCRAM-SHA-512}, {@code
 * sasl.jaas.config=…}, {@code ssl.truststore.location=…}, or tuning such as {@code linger.ms}. They go into
 * every client (producers, consumers, admin). Properties that CMS's guarantees rest on (serializers,
 * isolation, idempotence, transactions, groups, offsets commit, client ids) are refused at start with the
 * key named. Values are never printed: {@link #toString} shows the keys only.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> client) {

    public static final String KEY = "CMS_KAFKA";
    /** The properties file of extra Kafka client properties. */
    public static final String CONFIG_KEY = "CMS_KAFKA_CONFIG";
    /** Client properties CMS sets itself because exactly-once and the loops depend on them. */
    static final Set<String> RESERVED = Set.of("bootstrap.servers", "client.id", "key.serializer",
            "value.serializer", "key.deserializer", "value.deserializer", "isolation.level", "enable.auto.commit",
            "enable.idempotence", "acks", "transactional.id", "group.id", "group.instance.id", "auto.offset.reset");
    /** The longest a transactional producer's call (init, commit) blocks before it fails. */
    public static final java.time.Duration TRANSACTION_BLOCK = java.time.Duration.ofSeconds(15);

    /** Only the bootstrap servers, no extra client properties. */
    public KafkaSettings(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    public KafkaSettings {
        client = Map.copyOf(client == null ? Map.of() : client);
        for (String key : client.keySet()) {
            if (RESERVED.contains(key)) {
                throw new ConfigException(CONFIG_KEY + ": '" + key + "' is set by CMS itself and may not be changed");
            }
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException(KEY + ": no Kafka bootstrap servers given");
        }
        for (String hostPort : bootstrapServers.split(",", -1)) {
            if (!validHostPort(hostPort.trim())) {
                throw new ConfigException(KEY + ": '" + hostPort + "' is not HOST:PORT");
            }
        }
    }

    private static boolean validHostPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            return false;
        }
        String host = hostPort.substring(0, colon);
        String port = hostPort.substring(colon + 1);
        if (!host.matches("[A-Za-z0-9._\\[\\]:-]+") || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    public static KafkaSettings from(Settings settings) {
        String file = settings.string(CONFIG_KEY, null);
        return new KafkaSettings(settings.string(KEY, null), file == null ? Map.of() : load(Path.of(file)));
    }

    /** The client properties in {@code file}; a missing or unreadable file is a one-line error. */
    static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(CONFIG_KEY + ": cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k.strip(), p.getProperty(k).strip()));
        return out;
    }

    public Map<String, Object> common(String clientId) {
        Map<String, Object> p = new HashMap<>(client);
        p.put("bootstrap.servers", bootstrapServers);
        p.put("client.id", clientId);
        return p;
    }

    /** The bootstrap servers and the names of the extra properties, never their values (secrets). */
    @Override
    public String toString() {
        return "KafkaSettings[" + bootstrapServers + (client.isEmpty() ? "" : ", properties " + new TreeMap<>(client)
                .keySet()) + "]";
    }

    /** An idempotent producer; with a transactional id when {@code transactionalId} is not null. */
    public Map<String, Object> producer(String clientId, String transactionalId) {
        Map<String, Object> p = common(clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            // a commit that cannot finish gives up after this long (default 60 s), so that a loop riding out
            // an outage knows it, says so in its health, and opens new clients
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TRANSACTION_BLOCK.toMillis());
        }
        return p;
    }

    /**
     * An idempotent producer for a caller that answers people (the web): no call blocks longer than
     * {@code maxBlock} (metadata, a full buffer), and a record the cluster has not taken within
     * {@code delivery} fails instead of waiting the default two minutes.
     */
    public Map<String, Object> boundedProducer(String clientId, Duration maxBlock, Duration delivery) {
        Map<String, Object> p = producer(clientId, null);
        int deliveryMs = (int) delivery.toMillis();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, deliveryMs / 2));
        return p;
    }

    /** A consumer that reads only committed records and commits offsets itself. */
    public Map<String, Object> consumer(String clientId, String groupId) {
        Map<String, Object> p = common(clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return p;
    }
}
