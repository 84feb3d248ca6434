package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.JobEvent;
import cms.core.kafka.BrokerWatch;
import cms.core.kafka.KafkaSettings;
import cms.web.jobs.JobTable;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The job API's input checks, through the real server on a free port, without Kafka: the submitter, the
 * events reader and the admin client are left out (null), so what is tested here is what the API
 * answers before it would use them, and what it reads from its job table. Accepted submissions and
 * aborts are the integration tests' part. One server for the class: each test has its own pods and ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsControllerTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final int MAX_PAYLOAD = 64;

    private final EventCodec codec = new EventCodec();
    private final HttpClient http = HttpClient.newHttpClient();
    private final JobTable table = new JobTable(100);
    private WebServer server;
    private TestAuth testAuth;
    /** Whether the fake broker watch's probe fails. */
    private final AtomicBoolean kafkaAway = new AtomicBoolean();
    private BrokerWatch broker;

    @BeforeAll
    void start() {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        testAuth = new TestAuth(clock, codec);
        Duration timeout = Duration.ofSeconds(1);
        WebConfig config = new WebConfig(new KafkaSettings("127.0.0.1:9"), "127.0.0.1", 0, timeout, 100, MAX_PAYLOAD, 3, java.util.Set.of());
        broker = new BrokerWatch(t -> {
            if (kafkaAway.get()) {
                throw new TimeoutException("no answer");
            }
        }, clock, Duration.ofSeconds(1), Duration.ofSeconds(1));
        server = new WebServer(config, new AdminController(null, broker, codec, clock, timeout),
                new JobsController(null, table, null, null, broker, codec, clock, timeout, MAX_PAYLOAD, 3),
                new cms.web.live.LiveController(new cms.web.live.LiveView(cms.web.live.LiveConfig.from(
                        new cms.core.config.Settings(java.util.Map.of("CMS_KAFKA", "127.0.0.1:9"))), codec, clock), codec), testAuth.tokens, testAuth.auth,
                codec).start();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer send(String method, String path, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        b.header("Authorization", testAuth.bearer());
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), codec.mapper().readTree(r.body()));
    }

    private Answer get(String path) throws Exception {
        return send("GET", path, null, null);
    }

    private static void assertBad(Answer a, String field, String message) {
        assertEquals(400, a.status(), a.body()::toString);
        assertEquals(field, a.body().path("field").asText(), a.body()::toString);
        assertTrue(a.body().path("error").asText().startsWith(field + ": "), a.body()::toString);
        assertTrue(a.body().path("error").asText().contains(message), a.body()::toString);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "''|NULL|pod|is required",
        "{}|NULL|pod|is required",
        "{\"pod\":\" \"}|NULL|pod|is required",
        "{\"pod\":5}|NULL|pod|must be a string",
        "{\"pod\":|NULL|body|is not valid JSON",
        "[\"web\"]|NULL|body|must be a JSON object",
        "{\"pod\":\"web\",\"jobId\":\"a b\"}|NULL|jobId|'a b' is not an id",
        "{\"pod\":\"web\",\"jobId\":\"-a\"}|NULL|jobId|starting with a letter or digit",
        "{\"pod\":\"web\",\"jobId\":\"a\"}|b|jobId|differs from the Idempotency-Key header",
        "{\"pod\":\"web\",\"payload\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}|NULL|payload|"
                + "65 bytes, over the limit of 64",
        "{\"pod\":\"web\",\"timeoutSeconds\":0}|NULL|timeoutSeconds|0 is not within 1..3600",
        "{\"pod\":\"web\",\"timeoutSeconds\":3601}|NULL|timeoutSeconds|3601 is not within 1..3600",
        "{\"pod\":\"web\",\"timeoutSeconds\":\"soon\"}|NULL|timeoutSeconds|not a whole number",
        "{\"pod\":\"web\",\"timeoutSeconds\":1.5}|NULL|timeoutSeconds|not a whole number",
        "{\"pod\":\"web\",\"timeout_seconds\":0}|NULL|timeout_seconds|is not a field here; the fields are pod, "
                + "payload, jobId, timeoutSeconds",
    })
    void aBadSubmissionIs400NamingTheFieldAndTakesNoJob(String body, String key, String field, String message)
            throws Exception {
        assertBad(send("POST", "/api/jobs", body, key), field, message);
        assertEquals(List.of(), table.list("web", null, 10));
    }

    @Test
    void whileKafkaIsAwayAWaitForAJobsEndIs503AtOnceButWhatIsKnownIsStillShown() throws Exception {
        table.submitted("pending", "p", T0);
        kafkaAway.set(true);
        broker.probeOnce();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url()
                    + "/api/jobs/pending?wait=30")).header("Authorization", testAuth.bearer()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertEquals(String.valueOf(BrokerWatch.RETRY_AFTER_SECONDS), r.headers().firstValue("Retry-After")
                    .orElse(null));
            assertTrue(codec.mapper().readTree(r.body()).path("error").asText().startsWith("Kafka is unreachable"),
                    r.body());
            assertEquals("SUBMITTED", get("/api/jobs/pending").body().path("status").asText());
        } finally {
            kafkaAway.set(false);
            broker.probeOnce();
        }
        assertEquals("SUBMITTED", get("/api/jobs/pending?wait=0").body().path("status").asText());
    }

    @Test
    void aJobIsShownAsTheTableHasIt() throws Exception {
        table.apply(new JobEvent.JobQueued("e", 1, T0, "shown", "p", null, 1, null, null, null, "kafka"));

        Answer a = get("/api/jobs/shown");

        assertEquals(200, a.status());
        assertEquals("shown", a.body().path("jobId").asText());
        assertEquals("QUEUED", a.body().path("status").asText());
        assertEquals("kafka", a.body().path("source").asText());
        assertEquals(T0, Instant.parse(a.body().path("submittedAt").asText()));
    }

    @Test
    void anUnknownJobIs404WithOrWithoutWaiting() throws Exception {
        for (String path : List.of("/api/jobs/nobody", "/api/jobs/nobody?wait=5")) {
            Answer a = get(path);
            assertEquals(404, a.status(), path);
            assertEquals("id", a.body().path("field").asText(), path);
            assertTrue(a.body().path("error").asText().contains("'nobody' is not known"), path);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "soon|not a whole number of seconds: 'soon'",
        "-1|-1 is not within 0..300 seconds",
        "301|301 is not within 0..300 seconds"})
    void aWaitOutOfRangeIs400(String wait, String message) throws Exception {
        table.submitted("waited", "p", T0);
        assertBad(get("/api/jobs/waited?wait=" + wait), "wait", message);
    }

    @Test
    void waitingForAnEndedJobAnswersAtOnceAndWaitingNoTimeAnswersTheJobAsItIs() throws Exception {
        table.submitted("live", "p", T0);
        table.apply(new JobEvent.JobAborted("e", 1, T0, "ended", "p", "aborted by request"));

        assertEquals("ABORTED", get("/api/jobs/ended?wait=300").body().path("status").asText());
        assertEquals("SUBMITTED", get("/api/jobs/live?wait=0").body().path("status").asText());
    }

    @Test
    void theListHasCountsAndFiltersByPodAndStatusInAnyCase() throws Exception {
        table.submitted("a1", "a", T0);
        table.submitted("a2", "a", T0.plusSeconds(1));
        table.submitted("b1", "b", T0.plusSeconds(2));
        table.apply(new JobEvent.JobQueued("e", 1, T0, "a1", "a", null, 1, null, null, null, "http"));

        Answer a = get("/api/jobs?pod=a&status=submitted");

        assertEquals(200, a.status());
        assertEquals(1, a.body().path("jobs").size());
        assertEquals("a2", a.body().path("jobs").get(0).path("jobId").asText());
        assertEquals(codec.mapper().readTree("{\"QUEUED\":1,\"SUBMITTED\":1}"), a.body().path("counts"));
        assertEquals(2, get("/api/jobs?limit=2").body().path("jobs").size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "status=DONE|status|'DONE' is not one of",
        "limit=0|limit|0 is not within 1..1000",
        "limit=1001|limit|1001 is not within 1..1000",
        "limit=all|limit|not a whole number: 'all'"})
    void aBadListQueryIs400(String query, String field, String message) throws Exception {
        assertBad(get("/api/jobs?" + query), field, message);
    }
}
