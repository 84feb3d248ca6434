package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.DeadLetter;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad job input over HTTP and on the {@code jobs} topic, on a real broker, node and HAProxy: each is
 * refused with a reason naming what is wrong (HTTP 4xx naming the field; a dead letter, or a FAILED job
 * when the record is a job with a bad field), nothing is half-done, and good jobs in between still run;
 * a paused pod holds its jobs queued (its queue depth on {@code metrics}) and an aborted one ends once.
 */
class JobsBadInputIT {

    private static final EventCodec CODEC = new EventCodec();

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    private static TestCluster cluster() throws InterruptedException {
        return new TestCluster().withResourceManager(Map.of("CMS_RM_JOB_MAX_PAYLOAD_BYTES", "1024"))
                .withHost("it-host").withWeb(Map.of("CMS_WEB_JOB_MAX_PAYLOAD_BYTES", "1024"))
                .withBalancer(Map.of("CMS_BALANCER", "haproxy"));
    }

    private static void refused(JsonHttp.Response r, int status, String field, String text) {
        assertEquals(status, r.status(), r::toString);
        assertEquals(field, r.text("field"), r::toString);
        assertTrue(r.text("error").contains(text), () -> "expected '" + text + "' in " + r);
        assertEquals(1, r.text("error").lines().count(), r::toString);
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndCreateNoJob() throws Exception {
        try (TestCluster cms = cluster()) {
            JobsIT.pod(cms, "lt", "light", "0.5", 1);
            JsonHttp api = cms.api();
            refused(api.post("/api/jobs", "{not json"), 400, "body", "is not valid JSON");
            refused(api.post("/api/jobs", "{}"), 400, "pod", "pod: is required");
            refused(api.post("/api/jobs", "{\"pod\":\"nope\"}"), 404, "pod", "no pod named 'nope'");
            refused(api.post("/api/jobs", "{\"pod\":\"lt\",\"job_id\":\"bad id!\"}"), 400, "job_id", "is not an id");
            // the old camelCase spelling is read as an alias; the answer names the field in the API's spelling
            refused(api.post("/api/jobs", "{\"pod\":\"lt\",\"timeoutSeconds\":0}"), 400, "timeout_seconds",
                    "timeout_seconds: 0 is not within 1..3600");
            refused(api.post("/api/jobs", "{\"pod\":\"lt\",\"timeout\":5}"), 400, "timeout", "is not a field here");
            refused(api.post("/api/jobs", "{\"pod\":\"lt\",\"payload\":\"" + "x".repeat(2000) + "\"}"), 400,
                    "payload", "over the limit of 1024");
            refused(api.get("/api/jobs?status=bogus"), 400, "status", "'bogus' is not one of");
            refused(api.get("/api/jobs?limit=0"), 400, "limit", "0 is not within 1..1000");
            refused(api.get("/api/jobs/nope"), 404, "id", "no job with id 'nope'");
            refused(api.get("/api/jobs/nope?wait=abc"), 400, "wait", "not a whole number of seconds");
            refused(api.post("/api/jobs/nope/abort", null), 404, "id", "no job with id 'nope'");

            JsonHttp.Response none = api.get("/api/jobs");
            assertEquals(0, none.json().get("jobs").size(), () -> "no job from a refused request: " + none);

            TestCluster.Run ok = cms.cloud("job", "submit", "lt", "--id", "good-1", "--wait", "30");
            assertEquals(0, ok.exit(), ok::toString);
            JsonHttp.Response again = api.post("/api/jobs/good-1/abort", null);
            assertEquals(409, again.status(), again::toString);
            assertTrue(again.text("error").contains("already ended SUCCEEDED"), again::toString);
            TestCluster.Run failing = cms.cloud("job", "submit", "lt", "--payload", "{\"fail\":\"no thanks\"}",
                    "--wait", "30");
            assertEquals(1, failing.exit(), failing::toString);
            assertTrue(failing.out().contains("answered 422: no thanks"), failing::toString);
        }
    }

    /** Jobs records that are not jobs, jobs with a bad field, and a flood of broken records among good jobs. */
    @Test
    void badRecordsAreAccountedForAndTheIntakeNeverStops() throws Exception {
        try (TestCluster cms = cluster();
             JobEventsTap tap = new JobEventsTap(cms.broker.bootstrapServers())) {
            JobsIT.pod(cms, "lt", "light", "0.5", 1);
            List<String> notJobs = List.of("{not json", "[1,2]", "{\"type\":\"Other\",\"pod\":\"lt\"}",
                    "{\"jobId\":\"bad id!\",\"pod\":\"lt\"}", "{\"jobId\":\"kb-t\",\"pod\":\"lt\",\"timeoutSeconds\":\"abc\"}",
                    "");
            Map<String, String> badJobs = Map.of(
                    "kb-nopod", "{\"jobId\":\"kb-nopod\",\"pod\":\"nope\"}",
                    "kb-big", "{\"jobId\":\"kb-big\",\"pod\":\"lt\",\"payload\":\"" + "x".repeat(2000) + "\"}",
                    "kb-zero", "{\"jobId\":\"kb-zero\",\"pod\":\"lt\",\"timeoutSeconds\":0}",
                    "kb-missing", "{\"jobId\":\"kb-missing\"}");
            int flood = 1000;
            int good = 200;
            List<String> goodIds = new ArrayList<>();
            try (KafkaProducer<String, String> producer = JobsIT.plainProducer(cms.broker.bootstrapServers())) {
                for (String v : notJobs) {
                    producer.send(new ProducerRecord<>(Topics.JOBS.topicName(), "x", v));
                }
                badJobs.forEach((id, v) -> producer.send(new ProducerRecord<>(Topics.JOBS.topicName(), id, v)));
                for (int i = 0; i < flood; i++) {
                    producer.send(new ProducerRecord<>(Topics.JOBS.topicName(), "f-" + i, "{broken " + i));
                    if (i % 5 == 0) {
                        String id = "g-" + goodIds.size();
                        goodIds.add(id);
                        producer.send(new ProducerRecord<>(Topics.JOBS.topicName(), id,
                                "{\"jobId\":\"" + id + "\",\"pod\":\"lt\",\"payload\":{\"i\":" + i + "}}"));
                    }
                }
                producer.flush();
            }
            assertEquals(good, goodIds.size());
            await().atMost(Duration.ofMinutes(2)).until(() -> tap.ended() >= good + badJobs.size());
            Map<String, List<JobEvent>> history = tap.readAll();
            JobsIT.endedOnceEach(history, goodIds);
            Map<String, String> reasons = Map.of("kb-nopod", "no pod named 'nope'", "kb-big",
                    "payload: 2002 bytes, over the limit of 1024", "kb-zero", "timeoutSeconds: 0 is not within",
                    "kb-missing", "pod: missing");
            reasons.forEach((id, reason) -> {
                List<JobEvent> events = history.get(id);
                assertEquals(1, events.size(), () -> id + ": " + events);
                JobEvent.JobFailed failed = (JobEvent.JobFailed) events.get(0);
                assertTrue(failed.reason().contains(reason), () -> id + ": " + failed.reason());
            });
            assertEquals(good + badJobs.size(), history.size(), "no other job");

            List<DeadLetter> letters = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                letters.clear();
                CompactedTopicReader.readAll(new KafkaSettings(cms.broker.bootstrapServers()), "it-dead-letters",
                        Topics.DEAD_LETTER, Duration.ofSeconds(30), r -> {
                            try {
                                DeadLetter d = CODEC.decode(r.value(), DeadLetter.class);
                                if (d.sourceTopic().equals(Topics.JOBS.topicName())) {
                                    letters.add(d);
                                }
                            } catch (cms.core.codec.UndecodableRecordException e) {
                                throw new AssertionError(e);
                            }
                        });
                return letters.size() >= flood + notJobs.size();
            });
            assertEquals(flood + notJobs.size(), letters.size(), "one dead letter per record that is not a job");
            List<String> why = letters.stream().map(DeadLetter::reason).toList();
            for (String expected : List.of("broken JSON", "not a JSON object", "unknown type 'Other'", "is not an id",
                    "timeoutSeconds \"abc\" is not a whole number", "empty value")) {
                assertTrue(why.stream().anyMatch(r -> r.contains(expected)), () -> expected + " among " + why.subList(0, 8));
            }
            assertEquals(flood, letters.stream().filter(d -> d.value() != null && d.value().startsWith("{broken "))
                    .map(d -> d.partition() + ":" + d.offset()).distinct().count(), "every broken record of the flood, once");
        }
    }

    @Test
    void aPausedPodHoldsItsJobsQueuedAndAnAbortedJobEndsOnce() throws Exception {
        try (TestCluster cms = cluster();
             MetricsTap metrics = new MetricsTap(cms.broker.bootstrapServers());
             JobEventsTap tap = new JobEventsTap(cms.broker.bootstrapServers())) {
            JobsIT.pod(cms, "lt", "light", "0.5", 1);
            assertEquals(0, cms.cloud("pause", "lt").exit());
            for (String id : List.of("p-1", "p-2", "p-3")) {
                assertEquals(0, cms.cloud("job", "submit", "lt", "--id", id).exit());
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> metrics.all(MetricSample.PodSample.class).stream()
                    .anyMatch(s -> s.pod().equals("lt") && "rm".equals(s.source()) && s.jobQueueDepth() == 3
                            && s.jobsRunning() == 0));
            TestCluster.Run queued = cms.cloud("job", "ls", "--pod", "lt", "--status", "QUEUED");
            assertTrue(queued.out().contains(": queued 3)"), queued::toString);

            TestCluster.Run abort = cms.cloud("job", "abort", "p-2", "--reason", "changed my mind");
            assertEquals(0, abort.exit(), abort::toString);
            TestCluster.Run twice = cms.cloud("job", "abort", "p-2");
            assertEquals(1, twice.exit(), twice::toString);
            assertTrue(twice.err().contains("already ended ABORTED"), twice::toString);
            await().atMost(Duration.ofSeconds(15)).until(() -> metrics.all(MetricSample.PodSample.class).stream()
                    .anyMatch(s -> s.pod().equals("lt") && "rm".equals(s.source()) && s.jobQueueDepth() == 2));

            assertEquals(0, cms.cloud("resume", "lt").exit());
            assertEquals(0, cms.cloud("job", "wait", "p-1", "--timeout", "30").exit());
            assertEquals(0, cms.cloud("job", "wait", "p-3", "--timeout", "30").exit());
            TestCluster.Run aborted = cms.cloud("job", "wait", "p-2", "--timeout", "5");
            assertEquals(1, aborted.exit(), aborted::toString);
            assertTrue(aborted.out().matches("(?s).*status\\s+ABORTED.*error\\s+changed my mind.*"), aborted::toString);
            Map<String, List<JobEvent>> history = tap.readAll();
            assertEquals(List.of("JobQueued", "JobAborted"), history.get("p-2").stream()
                    .map(e -> e.getClass().getSimpleName()).toList());
            JobsIT.endedOnceEach(history, List.of("p-1", "p-3"));
        }
    }

    /**
     * The bounds of the job path: a pod's queue limit (429 over HTTP with Retry-After, FAILED "queue full"
     * from Kafka, nothing else changed) and a workload's 2 MB answer (SUCCEEDED with its first 256 KiB as
     * text and its whole size: no record over the producer's limit, no retry for ever).
     */
    @Test
    void aFullQueueIsRefusedAndAHugeAnswerIsKeptTruncated() throws Exception {
        Map<String, String> limit = Map.of("CMS_RM_JOB_QUEUE_LIMIT", "3");
        try (TestCluster cms = new TestCluster().withResourceManager(limit).withHost("it-host").withWeb(limit)
                .withBalancer(Map.of("CMS_BALANCER", "haproxy"));
             JobEventsTap tap = new JobEventsTap(cms.broker.bootstrapServers())) {
            JobsIT.pod(cms, "lt", "light", "0.5", 1);
            JsonHttp api = cms.api();
            JsonHttp.Response big = api.post("/api/jobs", "{\"pod\":\"lt\",\"job_id\":\"big\","
                    + "\"payload\":{\"answer_bytes\":2000000}}");
            assertEquals(202, big.status(), big::toString);
            await().atMost(Duration.ofSeconds(30)).until(() -> !JobEventsTap.terminals(tap.events("big")).isEmpty());
            JobEvent.JobSucceeded done = (JobEvent.JobSucceeded) JobEventsTap.terminals(tap.events("big")).get(0);
            assertTrue(done.resultTruncated(), done::toString);
            assertTrue(done.resultBytes() > 2_000_000, done::toString);
            assertEquals(256 * 1024, done.result().asText().length(), "the first 256 KiB, as text");
            assertEquals(1, done.attempt(), "one attempt");

            assertEquals(0, cms.cloud("pause", "lt").exit());
            for (String id : List.of("q-1", "q-2", "q-3")) {
                assertEquals(202, api.post("/api/jobs", "{\"pod\":\"lt\",\"job_id\":\"" + id + "\"}").status());
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> List.of("q-1", "q-2", "q-3").stream()
                    .allMatch(id -> !tap.events(id).isEmpty()));
            JsonHttp.Response full = api.post("/api/jobs", "{\"pod\":\"lt\",\"job_id\":\"q-4\"}");
            refused(full, 429, "pod", "has 3 jobs waiting");
            assertTrue(full.header("Retry-After") != null, full::toString);
            try (KafkaProducer<String, String> producer = JobsIT.plainProducer(cms.broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>(Topics.JOBS.topicName(), "k-over",
                        "{\"jobId\":\"k-over\",\"pod\":\"lt\"}")).get();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> !JobEventsTap.terminals(tap.events("k-over")).isEmpty());
            JobEvent over = JobEventsTap.terminals(tap.events("k-over")).get(0);
            assertTrue(over instanceof JobEvent.JobFailed f && f.reason().startsWith("queue full: 3 jobs wait"),
                    over::toString);
            assertTrue(tap.events("q-4").isEmpty(), "the refused job was never taken");
            assertEquals(0, cms.cloud("resume", "lt").exit());
            for (String id : List.of("q-1", "q-2", "q-3")) {
                assertEquals(0, cms.cloud("job", "wait", id, "--timeout", "30").exit(), id);
            }
        }
    }
}
