package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.AdminRequest;
import cms.core.event.DeadLetter;
import cms.core.event.Ids;
import cms.core.event.NodeEvent;
import cms.core.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Records the resource manager cannot read or apply, produced straight onto its input topics, each end
 * up once on {@code dead-letter} with where they came from and why; and a flood of them does not keep
 * the resource manager from serving the API.
 */
class DeadLetterIT {

    private static final int FLOOD = 1000;
    private static final int PODS = 20;

    private final EventCodec codec = new EventCodec();
    private final Map<String, List<DeadLetter>> letters = new HashMap<>();
    /** Letters of the other consumers that read a bad record's topic (the web's live view reads host-events). */
    private final List<DeadLetter> others = new ArrayList<>();
    private int letterCount;

    /** One bad record as sent, and a phrase its dead letter's reason must contain. */
    private record Sent(String topic, String key, String value, String reason, Future<RecordMetadata> meta) {
        String where() throws ExecutionException, InterruptedException {
            return topic + ":" + meta.get().partition() + ":" + meta.get().offset();
        }
    }

    private static Sent send(KafkaProducer<String, byte[]> producer, Topics topic, String key, byte[] value,
                             String reason) {
        Future<RecordMetadata> meta = producer.send(new ProducerRecord<>(topic.topicName(), key, value));
        return new Sent(topic.topicName(), key, value == null ? null : new String(value, StandardCharsets.UTF_8),
                reason, meta);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Sent badRequest(KafkaProducer<String, byte[]> producer, int i) {
        String key = "bad-" + i;
        return switch (i % 5) {
            case 0 -> send(producer, Topics.ADMIN_REQUESTS, key, utf8("{\"type\":\"RegisterPod\", oops"),
                    "not a valid AdminRequest");
            case 1 -> send(producer, Topics.ADMIN_REQUESTS, key, utf8("{\"type\":\"Explode\",\"eventId\":\""
                    + Ids.next() + "\",\"v\":1,\"at\":\"" + Instant.now() + "\"}"), "unknown type 'Explode'");
            case 2 -> send(producer, Topics.ADMIN_REQUESTS, "never", codec.encode(new AdminRequest.RegisterPod(null,
                    1, Instant.now(), "never", null, null, null, null, null, null, null, null)),
                    "RegisterPod without eventId");
            case 3 -> send(producer, Topics.ADMIN_REQUESTS, key, new byte[0], "empty value");
            default -> send(producer, Topics.ADMIN_REQUESTS, key, utf8("{\"eventId\":\"" + Ids.next()
                    + "\",\"v\":1,\"at\":\"" + Instant.now() + "\",\"pod\":\"never\"}"), "missing type");
        };
    }

    private KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private KafkaConsumer<String, byte[]> deadLetterReader(String bootstrap) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        List<TopicPartition> parts = List.of(new TopicPartition(Topics.DEAD_LETTER.topicName(), 0));
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    /** Reads what is there; every dead letter must decode, and its Kafka key is where it came from. */
    private int drain(KafkaConsumer<String, byte[]> consumer) throws UndecodableRecordException {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            DeadLetter letter = codec.decode(r.value(), DeadLetter.class);
            assertEquals(letter.key(), r.key(), "a dead letter is keyed by topic:partition:offset");
            if (!letter.consumer().equals("cms-rm")) {
                others.add(letter);
                continue;
            }
            letters.computeIfAbsent(letter.key(), k -> new ArrayList<>()).add(letter);
            letterCount++;
        }
        return letterCount;
    }

    private void assertOneLetterEach(List<Sent> sent) throws Exception {
        for (Sent s : sent) {
            List<DeadLetter> found = letters.getOrDefault(s.where(), List.of());
            assertEquals(1, found.size(), () -> "dead letters for " + s + ": " + found);
            DeadLetter letter = found.get(0);
            assertEquals(s.topic(), letter.sourceTopic());
            assertEquals(s.meta().get().partition(), letter.partition());
            assertEquals(s.meta().get().offset(), letter.offset());
            assertEquals("cms-rm", letter.consumer());
            assertEquals(s.key(), letter.sourceKey());
            assertEquals(s.value(), letter.value());
            assertTrue(letter.reason().contains(s.reason()), () -> "reason '" + letter.reason() + "' for " + s);
        }
    }

    @Test
    void badRecordsAreDeadLetteredOnceAndTheResourceManagerGoesOn() throws Exception {
        // the node events below come from it-host, which runs no daemon here: trusted, so that the resource
        // manager reads them (it ignores hosts that have not joined) and finds them bad
        try (TestCluster cms = new TestCluster().withResourceManager(Map.of("CMS_RM_TRUSTED_HOSTS", "it-host"))
                .withWeb(Map.of());
             KafkaProducer<String, byte[]> producer = producer(cms.broker.bootstrapServers());
             KafkaConsumer<String, byte[]> deadLetters = deadLetterReader(cms.broker.bootstrapServers())) {
            JsonHttp api = cms.api();
            assertEquals(201, api.post("/api/pods", "{\"name\":\"dl\"}").status());
            String podBefore = api.get("/api/pods/dl").body();

            List<Sent> bad = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                bad.add(badRequest(producer, i));
            }
            bad.add(send(producer, Topics.NODE_EVENTS, "ghost", codec.encode(new NodeEvent.NodeOnline(Ids.next(), 1,
                    Instant.now(), "ghost", "dl", "it-host", "127.0.0.1", 9000)), "unknown node 'ghost' of pod dl"));
            bad.add(send(producer, Topics.NODE_EVENTS, "ghost", codec.encode(new NodeEvent.NodeOnline(Ids.next(), 1,
                    Instant.now(), "ghost", "nopod", "it-host", "127.0.0.1", 9000)), "unknown pod 'nopod'"));
            bad.add(send(producer, Topics.HOST_EVENTS, "it-host", utf8("{\"type\":\"HostHeartbeat\",\"hostId\":"),
                    "not a valid HostEvent"));
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).until(() -> drain(deadLetters) >= bad.size());
            assertOneLetterEach(bad);
            assertEquals(bad.size(), letterCount, () -> "only the bad records are dead letters: " + letters);
            // each consumer sends what it could not read itself, naming itself: the web's live view the heartbeat
            assertTrue(others.stream().allMatch(l -> l.consumer().equals("cms-web-live")
                    && l.sourceTopic().equals(Topics.HOST_EVENTS.topicName())), () -> "other letters: " + others);
            assertEquals(podBefore, api.get("/api/pods/dl").body(), "a node event for an unknown node changes nothing");

            List<Sent> flood = new ArrayList<>();
            for (int p = 0; p < PODS; p++) {
                for (int i = 0; i < FLOOD / PODS; i++) {
                    flood.add(badRequest(producer, flood.size()));
                }
                JsonHttp.Response created = api.post("/api/pods", "{\"name\":\"flood-" + p + "\"}");
                assertEquals(201, created.status(), created::toString);
            }
            producer.flush();

            await().atMost(Duration.ofSeconds(120)).until(() -> drain(deadLetters) >= bad.size() + FLOOD);
            assertOneLetterEach(flood);
            assertEquals(bad.size() + FLOOD, letterCount, "one dead letter per bad record, no more");

            JsonHttp.Response pods = api.get("/api/pods");
            assertEquals(200, pods.status(), pods::toString);
            List<String> names = new ArrayList<>();
            pods.data().forEach(p -> names.add(p.get("name").asText()));
            for (int p = 0; p < PODS; p++) {
                assertTrue(names.contains("flood-" + p), "flood-" + p + " in " + names);
            }
            assertEquals(PODS + 1, names.size(), () -> "no pod from a bad record: " + names);
            assertEquals(404, api.get("/api/pods/never").status());
            assertEquals(200, api.get("/api/health").status());
        }
    }
}
