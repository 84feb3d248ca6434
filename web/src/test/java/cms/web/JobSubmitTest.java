package cms.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.JobSubmission;
import cms.core.kafka.BrokerWatch;
import cms.core.topic.Topics;
import cms.web.jobs.JobSubmitter;
import cms.web.jobs.JobTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An accepted submit through the real server, with kafka-clients' {@link MockProducer} in place of the broker
 * (the integration tests use a real one): the answer waits for the producer's acknowledgement without holding a
 * request thread, and a record Kafka does not take is a 503 that leaves no job behind.
 */
class JobSubmitTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final TestWeb web = new TestWeb();
    private final EventCodec codec = web.codec;
    private final HttpClient http = web.http;
    private final JobTable table = web.table;
    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
            new ByteArraySerializer());
    private WebServer server;
    private TestAuth testAuth;
    private BrokerWatch broker;
    /** Whether the broker watch's probe fails. */
    private final java.util.concurrent.atomic.AtomicBoolean kafkaAway = web.kafkaAway;

    @BeforeEach
    void start() {
        testAuth = web.auth;
        broker = web.broker;
        web.submitter = new JobSubmitter(producer, codec, web.timeout, broker);
        web.podExists = pod -> true;
        web.queueLimit = 100;
        server = web.start();
    }

    @AfterEach
    void stop() {
        web.close();
    }

    private CompletableFuture<HttpResponse<String>> submit(String id) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "/api/jobs"))
                .header("Authorization", testAuth.bearer()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pod\":\"p\",\"job_id\":\"" + id + "\",\"payload\":{\"n\":1}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void manySubmitsWaitTogetherForKafkaAndEachIs202OnceItsRecordIsTaken() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(submit("j" + i));
        }
        // every request is in the producer's hands at once, none answered: no request waits for another's round trip
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 40);
        assertTrue(answers.stream().noneMatch(CompletableFuture::isDone), "no answer before Kafka took the record");
        assertEquals(Topics.JOBS.topicName(), producer.history().get(0).topic());
        JobSubmission.JobSubmitted first = codec.decode(producer.history().get(0).value(), JobSubmission.JobSubmitted.class);
        assertTrue(first.jobId().startsWith("j"));
        while (producer.completeNext()) {
            // acknowledge each record
        }
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = answers.get(i).get();
            assertEquals(202, r.statusCode(), r.body());
            assertEquals("/api/jobs/j" + i, r.headers().firstValue("Location").orElseThrow());
            assertTrue(r.body().contains("\"job_id\":\"j" + i + "\""), r.body());
        }
        assertTrue(table.get("j7").isPresent());
    }

    @Test
    void aRecordKafkaDoesNotTakeIs503WithRetryAfterAndLeavesNoJob() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = submit("lost");
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        assertTrue(table.get("lost").isPresent(), "shown as SUBMITTED while Kafka is asked");
        producer.errorNext(new TimeoutException("Expiring 1 record(s)"));
        HttpResponse<String> r = answer.get();
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        assertTrue(r.body().contains("Kafka did not take the job"), r.body());
        assertTrue(r.body().contains("submit again with the same id"), r.body());
        assertFalse(table.get("lost").isPresent(), "a job Kafka did not take is not shown");
    }

    @Test
    void aSubmitWaitingForKafkaIs503AsSoonAsTheWatchDeclaresKafkaUnreachable() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = submit("cut");
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        kafkaAway.set(true);
        broker.probeOnce(); // the producer would wait out its delivery timeout; the watch knows first
        HttpResponse<String> r = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(503, r.statusCode(), r.body());
        assertTrue(r.body().contains("Kafka is unreachable"), r.body());
        assertTrue(r.headers().firstValue("Retry-After").isPresent());
        assertFalse(table.get("cut").isPresent(), "a job Kafka may not have is not shown");
    }
}
