package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jobs end to end on a real broker, real nodes (local processes) and HAProxy: jobs submitted over HTTP
 * and produced straight onto the {@code jobs} topic by a plain Kafka producer all end SUCCEEDED, each
 * with exactly one terminal event, also when the resource manager and the web service are killed with
 * SIGKILL in the middle; jobs on a node that is killed are retried on another node and succeed.
 */
class JobsIT {

    static final int JOBS = 10_000;

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    /** A pod of the built-in {@code workload} with its own frontend and {@code nodes} ONLINE nodes in rotation. */
    static void pod(TestCluster cms, String pod, String workload, String cpu, int nodes) {
        assertEquals(0, cms.cloud("pod", "register", pod, "--workload", workload, "--cpu", cpu, "--frontend-port",
                String.valueOf(TestCluster.freePort())).exit());
        for (int i = 1; i <= nodes; i++) {
            assertEquals(0, cms.cloud("register", pod + "-n" + i, pod).exit());
            assertEquals(0, cms.cloud("launch", pod).exit());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> cms.cloud("node", "ls", pod).out().lines()
                .filter(l -> l.contains(" ONLINE ")).count() == nodes);
        await().atMost(Duration.ofSeconds(15)).until(() -> cms.cloud("request", pod, "--path", "/health").exit() == 0);
    }

    static KafkaProducer<String, String> plainProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all"));
    }

    /** Produces jobs k-0 … k-(n-1) the way another system would: minimal JSON, the job id as key. */
    static void produceJobs(String bootstrap, String pod, int n, IntConsumer afterEach) {
        try (KafkaProducer<String, String> producer = plainProducer(bootstrap)) {
            for (int i = 0; i < n; i++) {
                String id = "k-" + i;
                String value = i % 2 == 0
                        ? "{\"jobId\":\"" + id + "\",\"pod\":\"" + pod + "\",\"payload\":{\"i\":" + i + "}}"
                        : "{\"type\":\"JobSubmitted\",\"v\":1,\"jobId\":\"" + id + "\",\"pod\":\"" + pod
                        + "\",\"payload\":{\"i\":" + i + "}}";
                producer.send(new ProducerRecord<>(Topics.JOBS.topicName(), id, value));
                afterEach.accept(i);
            }
            producer.flush();
        }
    }

    /**
     * Submits jobs h-0 … h-(n-1) over HTTP with {@code threads} clients, each sending {@code token}. A submit
     * that gets no 202 (the web service is down, or answered 503) is sent again with the same id until it is
     * taken: the id makes it the same job.
     */
    static int submitOverHttp(String apiUrl, String token, String pod, int n, int threads, IntConsumer afterEach)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger repeats = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        String body = "{\"pod\":\"" + pod + "\",\"job_id\":\"h-" + i + "\",\"payload\":{\"i\":" + i + "}}";
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                        while (!submitted(http, apiUrl, token, body)) {
                            repeats.incrementAndGet();
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("job h-" + i + " not taken within 120 s");
                            }
                            // a client's back-off between repeats, not a wait for a condition
                            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                        }
                        afterEach.accept(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return repeats.get();
    }

    private static boolean submitted(HttpClient http, String apiUrl, String token, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/api/jobs"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202 && r.statusCode() != 503) {
                throw new AssertionError("submit answered " + r.statusCode() + ": " + r.body());
            }
            return r.statusCode() == 202;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every job of {@code ids} has exactly one terminal event, SUCCEEDED, and nothing after it. */
    static void endedOnceEach(Map<String, List<JobEvent>> history, List<String> ids) {
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            List<JobEvent> events = history.getOrDefault(id, List.of());
            List<JobEvent> ends = JobEventsTap.terminals(events);
            if (ends.size() != 1 || !(ends.get(0) instanceof JobEvent.JobSucceeded)
                    || events.get(events.size() - 1) != ends.get(0)) {
                problems.add(id + " " + events.stream().map(e -> e.getClass().getSimpleName()).toList()
                        + (ends.isEmpty() ? "" : " " + ends));
            }
        }
        assertEquals(List.of(), problems.subList(0, Math.min(20, problems.size())),
                problems.size() + " job(s) did not end exactly once with SUCCEEDED");
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n / 2; i++) {
            ids.add("h-" + i);
            ids.add("k-" + i);
        }
        return ids;
    }

    /** The resource manager says the pod has nothing queued and nothing running. */
    static void drained(MetricsTap metrics, String pod) {
        int seen = metrics.all(MetricSample.PodSample.class).size();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<MetricSample.PodSample> samples = metrics.all(MetricSample.PodSample.class);
            return samples.subList(seen, samples.size()).stream().anyMatch(s -> s.pod().equals(pod)
                    && "rm".equals(s.source()) && s.jobQueueDepth() == 0 && s.jobsRunning() == 0);
        });
    }

    @Test
    void tenThousandJobsHalfOverHttpHalfFromAKafkaProducerEachEndOnce() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withHost("it-host").withWeb(Map.of())
                .withBalancer(Map.of("CMS_BALANCER", "haproxy"));
             JobEventsTap tap = new JobEventsTap(cms.broker.bootstrapServers());
             MetricsTap metrics = new MetricsTap(cms.broker.bootstrapServers())) {
            pod(cms, "lt", "light", "0.5", 2);
            long t0 = System.nanoTime();
            Thread kafka = new Thread(() -> produceJobs(cms.broker.bootstrapServers(), "lt", JOBS / 2, i -> { }));
            kafka.start();
            int repeats = submitOverHttp(cms.apiUrl, cms.token, "lt", JOBS / 2, 8, i -> { });
            kafka.join();
            await().atMost(Duration.ofMinutes(5)).until(() -> tap.ended() >= JOBS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d jobs ended in %.1f s (%.0f jobs/s), %d HTTP submit(s) repeated%n", JOBS, seconds,
                    JOBS / seconds, repeats);
            drained(metrics, "lt");
            Map<String, List<JobEvent>> history = tap.readAll();
            endedOnceEach(history, ids(JOBS));
            assertEquals(JOBS, history.size(), "no job beyond those submitted");
            assertEquals("kafka", ((JobEvent.JobQueued) history.get("k-1").get(0)).source());
            assertEquals("http", ((JobEvent.JobQueued) history.get("h-1").get(0)).source());
            TestCluster.Run one = cms.cloud("job", "status", "k-7");
            assertEquals(0, one.exit(), one::toString);
            assertTrue(one.out().matches("(?s).*status\\s+SUCCEEDED.*node\\s+lt-n[12].*"), one.out());
        }
    }

    @Test
    void resourceManagerAndWebKilledMidRunLoseNoJobAndEndNoneTwice() throws Exception {
        try (TestCluster cms = new TestCluster();
             JobEventsTap tap = new JobEventsTap(cms.broker.bootstrapServers());
             MetricsTap metrics = new MetricsTap(cms.broker.bootstrapServers())) {
            Map<String, String> env = Map.of(KafkaSettings.KEY, cms.broker.bootstrapServers());
            int webPort = TestCluster.freePort();
            Map<String, String> webEnv = Map.of(KafkaSettings.KEY, cms.broker.bootstrapServers(), "CMS_WEB_PORT",
                    String.valueOf(webPort));
            ServiceProcess[] rmNow = {ServiceProcess.start(cms.dir, "rm", env, "resource manager: ready")};
            ServiceProcess web = ServiceProcess.start(cms.dir, "web", webEnv, "CMS API:");
            Thread killer = null;
            try {
                cms.apiUrl = "http://127.0.0.1:" + webPort;
                cms.withHost("it-host").withBalancer(Map.of("CMS_BALANCER", "haproxy"));
                pod(cms, "lt", "light", "0.5", 2);

                // the resource manager is killed as soon as a third of the jobs have ended, while both producers may
                // still be sending: waiting for the submits first let a fast run end every job before the kill
                AtomicInteger endedBeforeKill = new AtomicInteger(-1);
                AtomicReference<Throwable> killFailed = new AtomicReference<>();
                killer = new Thread(() -> {
                    try {
                        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                                .until(() -> tap.ended() >= JOBS / 3);
                        endedBeforeKill.set(tap.ended());
                        rmNow[0].kill();
                        rmNow[0] = ServiceProcess.start(cms.dir, "rm", env, "resource manager: ready");
                    } catch (Throwable e) {
                        killFailed.set(e);
                    }
                }, "rm-killer");
                killer.start();
                Thread kafka = new Thread(() -> produceJobs(cms.broker.bootstrapServers(), "lt", JOBS / 2, i -> { }));
                kafka.start();
                ServiceProcess[] webNow = {web};
                AtomicInteger webKills = new AtomicInteger();
                int repeats = submitOverHttp(cms.apiUrl, cms.token, "lt", JOBS / 2, 8, i -> {
                    if (i == JOBS / 4 && webKills.getAndIncrement() == 0) {
                        try {
                            webNow[0].kill();
                            webNow[0] = ServiceProcess.start(cms.dir, "web", webEnv, "CMS API:");
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
                web = webNow[0];
                kafka.join();
                killer.join();
                assertNull(killFailed.get(), () -> "the kill and restart of the resource manager: " + killFailed.get());
                await().atMost(Duration.ofMinutes(5)).until(() -> tap.ended() >= JOBS);
                System.out.printf("resource manager killed after %d of %d jobs had ended; web killed once, %d HTTP "
                        + "submit(s) repeated with the same id%n", endedBeforeKill.get(), JOBS, repeats);
                assertTrue(endedBeforeKill.get() < JOBS, "the kill came before the end");
                drained(metrics, "lt");
                Map<String, List<JobEvent>> history = tap.readAll();
                endedOnceEach(history, ids(JOBS));
                assertEquals(JOBS, history.size(), "no job beyond those submitted");
                long cutShort = history.values().stream().flatMap(List::stream)
                        .filter(e -> e instanceof JobEvent.JobQueued q && q.reason() != null
                                && q.reason().contains("restart of the resource manager")).count();
                System.out.printf("%d attempt(s) cut short by the kill were sent again%n", cutShort);
            } finally {
                if (killer != null) {
                    killer.join(Duration.ofMinutes(1).toMillis());
                }
                web.close();
                rmNow[0].close();
            }
        }
    }

    @Test
    void jobsOnAKilledNodeAreRetriedOnAnotherAndSucceed() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withHost("it-host").withWeb(Map.of())
                .withBalancer(Map.of("CMS_BALANCER", "haproxy"));
             JobEventsTap tap = new JobEventsTap(cms.broker.bootstrapServers())) {
            pod(cms, "hv", "heavy", "0.5", 3);
            int n = 12;
            for (int i = 0; i < n; i++) {
                TestCluster.Run r = cms.cloud("job", "submit", "hv", "--id", "hv-" + i, "--payload", "{\"i\":" + i + "}");
                assertEquals(0, r.exit(), r::toString);
            }
            // 3 nodes × 4 jobs each: all 12 are running at once, each taking seconds of CPU
            await().atMost(Duration.ofSeconds(30)).until(() -> tap.runningEvents() >= n);
            assertEquals(0, tap.ended(), "no heavy job ended before the kill");
            long pid = Long.parseLong(cms.daemons.get(0).nodes().stream().filter(x -> x.node().equals("hv-n1"))
                    .findFirst().orElseThrow().driverId());
            NodeLifecycleContract.killPid(pid);
            await().atMost(Duration.ofSeconds(120)).until(() -> tap.ended() >= n);
            Map<String, List<JobEvent>> history = tap.readAll();
            List<String> ids = new ArrayList<>();
            int retried = 0;
            for (int i = 0; i < n; i++) {
                String id = "hv-" + i;
                ids.add(id);
                JobEvent.JobSucceeded end = (JobEvent.JobSucceeded) JobEventsTap.terminals(history.get(id)).get(0);
                if (end.attempt() > 1) {
                    retried++;
                    assertNotEquals("hv-n1", end.node(), () -> id + " retried and ended on the killed node");
                    assertTrue(history.get(id).stream().anyMatch(e -> e instanceof JobEvent.JobQueued q
                            && q.attemptOrFirst() > 1 && q.reason().contains("no node answered")
                            || e instanceof JobEvent.JobQueued q2 && q2.attemptOrFirst() > 1
                            && q2.reason().contains("connection")), () -> id + ": " + history.get(id));
                }
            }
            endedOnceEach(history, ids);
            System.out.printf("node killed under %d heavy jobs: %d retried on another node, all succeeded%n", n,
                    retried);
            assertTrue(retried >= 1, "the jobs running on the killed node were retried");
            // the killed node FAILED; by now it may be waiting for its restart or already back (restart policy always)
            JsonNode killed = null;
            for (JsonNode node : cms.api().get("/api/pods/hv").data().get("nodes")) {
                killed = node.get("name").asText().equals("hv-n1") ? node : killed;
            }
            JsonNode n1 = killed;
            assertTrue(n1 != null && (n1.get("state").asText().equals("FAILED") || n1.path("restarts").asInt() >= 1),
                    () -> String.valueOf(n1));
        }
    }
}
