package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import cms.core.kafka.BrokerWatch;
import cms.web.jobs.JobTable;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
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

    private static final Instant T0 = TestWeb.T0;
    private static final int MAX_PAYLOAD = 64;

    private final TestWeb web = new TestWeb();
    private final JobTable table = web.table;

    @BeforeAll
    void start() {
        web.maxPayload = MAX_PAYLOAD;
        web.podExists = pod -> true;
        web.start();
    }

    @AfterAll
    void stop() {
        web.close();
    }

    private TestWeb.Answer send(String method, String path, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder b = web.request(method, path, body).header("Authorization", web.auth.bearer());
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return web.answer(web.http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    private TestWeb.Answer get(String path) throws Exception {
        return web.get(path);
    }

    private static void assertBad(TestWeb.Answer a, String field, String message) {
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
        "{\"pod\":\"web\",\"job_id\":\"a b\"}|NULL|job_id|'a b' is not an id",
        "{\"pod\":\"web\",\"job_id\":\"-a\"}|NULL|job_id|starting with a letter or digit",
        "{\"pod\":\"web\",\"job_id\":\"a\"}|b|job_id|differs from the Idempotency-Key header",
        "{\"pod\":\"web\",\"jobId\":\"a b\"}|NULL|job_id|'a b' is not an id",
        "{\"pod\":\"web\",\"jobId\":\"a\",\"job_id\":\"a\"}|NULL|job_id|is given twice",
        "{\"pod\":\"web\",\"payload\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}|NULL|payload|"
                + "65 bytes, over the limit of 64",
        "{\"pod\":\"web\",\"timeout_seconds\":0}|NULL|timeout_seconds|0 is not within 1..3600",
        "{\"pod\":\"web\",\"timeout_seconds\":3601}|NULL|timeout_seconds|3601 is not within 1..3600",
        "{\"pod\":\"web\",\"timeout_seconds\":\"soon\"}|NULL|timeout_seconds|not a whole number",
        "{\"pod\":\"web\",\"timeoutSeconds\":1.5}|NULL|timeout_seconds|not a whole number",
        "{\"pod\":\"web\",\"timeout\":5}|NULL|timeout|is not a field here; the fields are pod, payload, "
                + "job_id, timeout_seconds",
    })
    void aBadSubmissionIs400NamingTheFieldAndTakesNoJob(String body, String key, String field, String message)
            throws Exception {
        assertBad(send("POST", "/api/jobs", body, key), field, message);
        assertEquals(List.of(), table.list("web", null, 10));
    }

    @Test
    void whileKafkaIsAwayAWaitForAJobsEndIs503AtOnceButWhatIsKnownIsStillShown() throws Exception {
        table.submitted("pending", "p", T0);
        web.kafkaAway.set(true);
        web.broker.probeOnce();
        try {
            HttpResponse<String> r = web.http.send(web.request("GET", "/api/jobs/pending?wait=30", null)
                    .header("Authorization", web.auth.bearer()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode(), r.body());
            assertEquals(String.valueOf(BrokerWatch.RETRY_AFTER_SECONDS), r.headers().firstValue("Retry-After")
                    .orElse(null));
            assertTrue(web.codec.mapper().readTree(r.body()).path("error").asText().startsWith("Kafka is unreachable"),
                    r.body());
            assertEquals("SUBMITTED", get("/api/jobs/pending").body().path("status").asText());
        } finally {
            web.kafkaAway.set(false);
            web.broker.probeOnce();
        }
        assertEquals("SUBMITTED", get("/api/jobs/pending?wait=0").body().path("status").asText());
    }

    @Test
    void aJobIsShownAsTheTableHasIt() throws Exception {
        table.apply(new JobEvent.JobQueued("e", 1, T0, "shown", "p", null, 1, null, null, null, "kafka"));

        TestWeb.Answer a = get("/api/jobs/shown");

        assertEquals(200, a.status());
        assertEquals("shown", a.body().path("job_id").asText());
        assertEquals("QUEUED", a.body().path("status").asText());
        assertEquals("kafka", a.body().path("source").asText());
        assertEquals(T0, Instant.parse(a.body().path("submitted_at").asText()));
    }

    @Test
    void anUnknownJobIs404WithOrWithoutWaiting() throws Exception {
        for (String path : List.of("/api/jobs/nobody", "/api/jobs/nobody?wait=5")) {
            TestWeb.Answer a = get(path);
            assertEquals(404, a.status(), path);
            assertEquals("id", a.body().path("field").asText(), path);
            assertEquals("no job with id 'nobody'", a.body().path("error").asText(), path);
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

        TestWeb.Answer a = get("/api/jobs?pod=a&status=submitted");

        assertEquals(200, a.status());
        assertEquals(1, a.body().path("jobs").size());
        assertEquals("a2", a.body().path("jobs").get(0).path("job_id").asText());
        assertEquals(web.codec.mapper().readTree("{\"QUEUED\":1,\"SUBMITTED\":1}"), a.body().path("counts"));
        assertEquals(2, get("/api/jobs?limit=2").body().path("jobs").size());
    }

    @Test
    void theListPagesNewestFirstFromTheLastJobOfAPage() throws Exception {
        for (int i = 0; i < 5; i++) {
            table.submitted("pg" + i, "pages", T0.plusSeconds(100 + i));
        }
        List<String> seen = new java.util.ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            TestWeb.Answer a = get("/api/jobs?pod=pages&limit=2" + (after == null ? "" : "&after=" + after));
            assertEquals(200, a.status(), a.text());
            a.body().path("jobs").forEach(j -> seen.add(j.path("job_id").asText()));
            after = a.body().hasNonNull("next") ? a.body().get("next").asText() : null;
            pages++;
        } while (after != null);
        assertEquals(List.of("pg4", "pg3", "pg2", "pg1", "pg0"), seen);
        assertEquals(3, pages, "2 + 2 + 1, and no next on the last");
        TestWeb.Answer gone = get("/api/jobs?pod=pages&after=nojob");
        assertEquals(409, gone.status());
        assertEquals("after", gone.body().path("field").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "status=DONE|status|'DONE' is not one of",
        "limit=0|limit|0 is not within 1..1000",
        "limit=1001|limit|1001 is not within 1..1000",
        "limit=all|limit|not a whole number: 'all'",
        "after=a%20b|after|'a b' is not an id"})
    void aBadListQueryIs400(String query, String field, String message) throws Exception {
        assertBad(get("/api/jobs?" + query), field, message);
    }
}
