package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka outage waited out (the short form of {@code cms bench chaos}): {@code cms dev} runs against a
 * broker in a process of its own ({@code cms kafka}), with a pod of two process nodes behind HAProxy,
 * client requests through the frontend and jobs submitted over HTTP and by a plain Kafka producer the
 * whole time. The broker is SIGKILLed, kept away for 10 s and started again. Meanwhile the API answers
 * at once (503 with Retry-After) to what needs Kafka and the frontend serves every client request; after,
 * every service carries on by itself (the same {@code cms dev} process, nothing restarted by hand), every
 * job that was accepted ends SUCCEEDED with exactly one terminal event, and jobs submitted after work.
 */
class KafkaOutageIT {

    /** 10 s in the suite; {@code -Dcms.outageSeconds=90} (or 300) for the longer outages of the issue. */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("cms.outageSeconds", 10));

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Path dir;

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (dir != null) {
            // cms dev stops its nodes and frontends on SIGTERM; if it had to be killed, they are ended here, by
            // their ids: the processes whose command line names this test's own directory
            String mine = dir.toString();
            ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(mine)).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    private static ServiceProcess broker(Path dir, int port, int controllerPort) {
        return ServiceProcess.start(dir, List.of("kafka", "--port", String.valueOf(port), "--controller-port",
                String.valueOf(controllerPort), "--data-dir", dir.resolve("kafka").toString()), Map.of(), "kafka: broker at");
    }

    @Test
    void aBrokerOutageIsWaitedOutWithNothingLostNothingDoneTwiceAndTheApiAnsweringAtOnce() throws Exception {
        dir = Files.createTempDirectory("cms-outage-");
        int kafkaPort = TestCluster.freePort();
        int controllerPort = TestCluster.freePort();
        String bootstrap = "127.0.0.1:" + kafkaPort;
        ServiceProcess[] broker = {broker(dir, kafkaPort, controllerPort)};
        toClose.add(() -> broker[0].close()); // closed last, after cms dev has stopped its nodes
        int webPort = TestCluster.freePort();
        ServiceProcess dev = closing(ServiceProcess.start(dir, List.of("dev", "--kafka", bootstrap, "--port",
                String.valueOf(webPort), "--stop-nodes-on-exit"), Map.of("CMS_NODE_DRIVER", "process",
                "CMS_HOST_ID", "outage-host", "CMS_NODE_DIR", dir.resolve("nodes").toString(),
                "CMS_BALANCER_DIR", dir.resolve("balancer").toString()), ServiceProcess.DEV_READY));
        String api = "http://127.0.0.1:" + webPort;
        token = ServiceProcess.devToken(dir);
        int frontend = TestCluster.freePort();
        assertEquals(0, cloud(api, "pod", "register", "light", "--workload", "light", "--frontend-port",
                String.valueOf(frontend)), "pod registered");
        for (int i = 1; i <= 2; i++) {
            assertEquals(0, cloud(api, "register", "light-n" + i, "light"));
            assertEquals(0, cloud(api, "launch", "light"));
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(60)).until(() -> get(http, "http://127.0.0.1:" + frontend + "/health") == 200
                && cloudOut(api, "node", "ls", "light").lines().filter(l -> l.contains(" ONLINE ")).count() == 2);

        JobEventsTap tap = closing(new JobEventsTap(bootstrap));
        LoadGen clients = closing(LoadGen.atRate(URI.create("http://127.0.0.1:" + frontend + "/"), 20));
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        KafkaProducer<String, String> producer = closing(JobsIT.plainProducer(bootstrap));
        // 25 jobs a second over HTTP and 25 from a plain Kafka producer, until the outage is over
        ScheduledExecutorService submitters = Executors.newScheduledThreadPool(2);
        toClose.add(() -> {
            submitters.shutdownNow();
            submitters.awaitTermination(30, TimeUnit.SECONDS);
        });
        AtomicInteger sent = new AtomicInteger();
        submitters.scheduleAtFixedRate(() -> {
            String id = "h-" + sent.incrementAndGet();
            if (postJob(http, api, id) == 202) {
                accepted.add(id);
            }
        }, 0, 40, TimeUnit.MILLISECONDS);
        AtomicInteger produced = new AtomicInteger();
        submitters.scheduleAtFixedRate(() -> {
            String id = "k-" + produced.incrementAndGet();
            producer.send(new ProducerRecord<>(cms.core.topic.Topics.JOBS.topicName(), id,
                    "{\"jobId\":\"" + id + "\",\"pod\":\"light\"}"), (m, e) -> {
                        if (e == null) {
                            accepted.add(id);
                        }
                    });
        }, 0, 40, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> tap.ended() >= 100);

        broker[0].kill();
        long down = System.nanoTime();
        // while the broker is away: what needs Kafka is answered at once, the frontend serves every request
        long t0 = System.nanoTime();
        HttpResponse<String> refused = send(http, HttpRequest.newBuilder(URI.create(api + "/api/jobs")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"pod\":\"light\",\"job_id\":\"during\"}")).build());
        double answeredIn = (System.nanoTime() - t0) / 1e9;
        // once the web knows (two failed probes), every call that needs Kafka is answered at once; a 503 from
        // /api/health alone is not that: a loop's fault or a silent resource manager may come first
        await().atMost(Duration.ofSeconds(15)).until(() -> healthBody(http, api).contains("\"kafka\":\"UNREACHABLE"));
        long t1 = System.nanoTime();
        int knownRefused = postJob(http, api, "during-2");
        double knownIn = (System.nanoTime() - t1) / 1e9;
        long clientsOkBefore = clients.ok.get();
        await().atMost(OUTAGE.plusSeconds(10)).until(() -> System.nanoTime() - down >= OUTAGE.toNanos()
                && clients.ok.get() > clientsOkBefore);
        long servedDuringOutage = clients.ok.get() - clientsOkBefore;
        broker[0] = broker(dir, kafkaPort, controllerPort);
        long back = System.nanoTime();

        await().atMost(Duration.ofSeconds(60)).until(() -> get(http, api + "/api/health") == 200);
        double healthyIn = (System.nanoTime() - back) / 1e9;
        submitters.shutdown();
        assertTrue(submitters.awaitTermination(30, TimeUnit.SECONDS));
        producer.flush();
        // jobs after the outage work as before
        for (int i = 0; i < 20; i++) {
            String id = "after-" + i;
            assertEquals(202, postJob(http, api, id), id);
            accepted.add(id);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> accepted.stream().allMatch(id -> !JobEventsTap.terminals(
                tap.events(id)).isEmpty()));
        Map<String, List<JobEvent>> all = tap.readAll();
        List<String> notOnce = new ArrayList<>();
        List<String> notSucceeded = new ArrayList<>();
        for (String id : accepted) {
            List<JobEvent> ends = JobEventsTap.terminals(all.getOrDefault(id, List.of()));
            if (ends.size() != 1) {
                notOnce.add(id + " " + ends.size());
            } else if (!(ends.get(0) instanceof JobEvent.JobSucceeded)) {
                notSucceeded.add(id + " " + ends.get(0));
            }
        }
        dev.output().lines().filter(l -> l.contains("loop=") || l.contains("open:") || l.contains("rebuilt")
                || l.contains("state rebuilt") || l.contains("BrokerWatch") || l.contains("Kafka is"))
                .forEach(l -> System.out.println("cms dev: " + l));
        System.out.printf("outage %d s: POST /api/jobs answered %d in %.2f s right after the kill, %d in %.3f s once "
                        + "known; %d client requests served during it, "
                        + "%d failed in all; healthy %.1f s after the broker was back; %d jobs accepted, all ended once%n",
                OUTAGE.toSeconds(), refused.statusCode(), answeredIn, knownRefused, knownIn, servedDuringOutage,
                clients.failed(),
                healthyIn, accepted.size());
        assertEquals(List.of(), notOnce, "every accepted job has exactly one terminal event");
        assertEquals(List.of(), notSucceeded, "every accepted job SUCCEEDED");
        assertTrue(accepted.size() > 200, "jobs flowed: " + accepted.size());
        assertEquals(0, clients.failed(), "client requests through the frontend: " + clients.failures);
        assertTrue(servedDuringOutage > 0, "the frontend served during the outage");
        assertEquals(503, refused.statusCode(), "a submit during the outage: " + refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After on the 503");
        assertTrue(answeredIn < 8, "answered in " + answeredIn + " s right after the kill");
        assertEquals(503, knownRefused);
        assertTrue(knownIn < 1, "answered in " + knownIn + " s once the outage was known");
        assertTrue(dev.alive(), "cms dev carried on by itself");
        // the goal is 10 s (cms bench chaos measures it); on this shared 2-core box under a full build it took up
        // to 33 s after a 90 s outage (a backlog of jobs produced meanwhile), so the suite allows 60 s
        assertTrue(healthyIn < 60, "healthy " + healthyIn + " s after the broker came back");
    }

    private static int postJob(HttpClient http, String api, String id) {
        try {
            return send(http, HttpRequest.newBuilder(URI.create(api + "/api/jobs")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(15))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"pod\":\"light\",\"job_id\":\"" + id + "\"}")).build())
                    .statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private static String healthBody(HttpClient http, String api) {
        return getAnswer(http, api + "/api/health").map(HttpResponse::body).orElse("");
    }

    private static int get(HttpClient http, String url) {
        return getAnswer(http, url).map(HttpResponse::statusCode).orElse(-1);
    }

    /** The answer to a GET, or none when the connection failed. */
    private static java.util.Optional<HttpResponse<String>> getAnswer(HttpClient http, String url) {
        try {
            return java.util.Optional.of(send(http, HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(5)).GET().build()));
        } catch (UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int cloud(String api, String... args) {
        return run(api, args).exit();
    }

    private static String cloudOut(String api, String... args) {
        return run(api, args).out();
    }

    /** The admin token the cms dev of the running test made. */
    private static volatile String token;

    private static TestCluster.Run run(String api, String... args) {
        return TestCluster.cloudAt(api, token, args);
    }
}
