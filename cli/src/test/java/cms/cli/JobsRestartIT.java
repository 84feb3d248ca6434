package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.JobEvent;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.TopicCreator;
import cms.core.topic.Topics;
import cms.rm.model.JobBook;
import cms.rm.service.ResourceManagerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Restart time does not grow with history: with a long history of ended jobs on {@code job-events} (and the
 * {@code job-state} the resource manager keeps beside it, {@link JobHistory}), a resource manager and a web service
 * started as processes are ready about as fast as on a cluster without history (JVM start included), know a job
 * that ended before the restart (its result too), and keep the idempotency window: an id submitted again inside it
 * does not run again, one that left it does. The figure is 1 000 000 ended jobs and 5 s
 * ({@code -Dcms.restart.jobs=1000000 -Dcms.restart.ready.seconds=5}, measured by hand, see docs/benchmarks.md); the
 * suite writes {@value #DEFAULT_JOBS} to stay near a minute.
 */
class JobsRestartIT {

    static final int DEFAULT_JOBS = 300_000;
    static final int JOBS = Integer.getInteger("cms.restart.jobs", DEFAULT_JOBS);
    /**
     * How much longer than without history a start with it may take: reading {@code job-state} (the window of ended
     * jobs) costs about 1 s per 50 000 on a 2-core box; history beyond the window adds nothing.
     */
    static final Duration SLACK = Duration.ofSeconds(3);
    /** {@code -Dcms.restart.ready.seconds=5}: the bound on each service's start, asserted when given. */
    static final Integer READY_SECONDS = Integer.getInteger("cms.restart.ready.seconds");
    /**
     * {@code -Dcms.restart.restarts=N}: restart the services N times on the history (1 in the suite); each time is
     * printed and the median of each service's is checked.
     */
    static final int RESTARTS = Integer.getInteger("cms.restart.restarts", 1);
    /**
     * {@code -Dcms.restart.tombstones=true}: {@code job-state} also holds the tombstone of every id that left the
     * window, as if the cleaner had dropped none (an upper bound; by default the history is a day old and they are
     * gone, as {@code delete.retention.ms} is 5 min).
     */
    static final boolean TOMBSTONES = Boolean.getBoolean("cms.restart.tombstones");
    /**
     * {@code -Dcms.restart.window=N}: the idempotency window of the resource manager and the web
     * ({@code CMS_RM_JOB_HISTORY}, {@code CMS_WEB_JOB_HISTORY}); 50 000 in the suite (the default, 200 000, costs
     * about 3 s more at each start on this box; docs/benchmarks.md has both), 0: the services' defaults.
     */
    static final int WINDOW = Integer.getInteger("cms.restart.window", 50_000);

    /** The settings of the services started here: the cluster, and the window when one is given. */
    static Map<String, String> env(TestCluster cms) {
        Map<String, String> env = new HashMap<>();
        env.put(KafkaSettings.KEY, cms.broker.bootstrapServers());
        if (WINDOW > 0) {
            env.put("CMS_RM_JOB_HISTORY", String.valueOf(WINDOW));
            env.put("CMS_WEB_JOB_HISTORY", String.valueOf(WINDOW));
        }
        return Map.copyOf(env);
    }
    /**
     * {@code -Dcms.restart.before.jar=PATH}: the {@code cms.jar} of a build before job-state, whose resource manager
     * and web are started first on the same history and timed beside (docs/benchmarks.md); not in the suite.
     */
    static final String BEFORE_JAR = System.getProperty("cms.restart.before.jar");
    private static final String POD = "lt";
    /** The {@code cms} script at the top of the tree (the tests run in {@code cli/}). */
    static final Path CMS_SCRIPT = Path.of("..", "cms").toAbsolutePath().normalize();

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    /** A resource manager and a web service, each started as a process, and how long each took to be ready. */
    record Started(ServiceProcess rm, ServiceProcess web, double rmSeconds, double webSeconds, long readyAt)
            implements AutoCloseable {

        /** Starts {@code cms <command>}: with {@code env}, waiting for the line that says it is ready. */
        interface Launcher {
            ServiceProcess start(String command, Map<String, String> env, String readyLine);
        }

        /**
         * This build's services as an operator starts them from it: {@code ./cms <command>}, the script at the top of
         * the tree, which runs {@code cli/target/cms.jar} with the class-data archive of that command (written by its
         * first run after the build, as it stops; see {@link #writeArchives}).
         */
        static Started start(Path dir, Map<String, String> env, int webPort) {
            return start(env, webPort, (command, e, line) -> ServiceProcess.exec(dir, command,
                    List.of(CMS_SCRIPT.toString(), command), dir, scriptEnv(e), line));
        }

        /**
         * The services started once and stopped: each writes its class-data archive as it stops unless this build's
         * is there already (the first start of each after a build does that), so that the starts timed after map it
         * as every later start does.
         */
        static void writeArchives(Path dir, Map<String, String> env, int webPort) {
            try (Started first = start(dir, env, webPort)) {
                System.out.printf("first start after the build (writes the archives): resource manager ready in %.2f s,"
                        + " web in %.2f s%n", first.rmSeconds(), first.webSeconds());
            }
        }

        /** {@code env} and what the script needs of this one (its {@code java} first on the path). */
        private static Map<String, String> scriptEnv(Map<String, String> env) {
            Map<String, String> all = new HashMap<>(env);
            all.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
            all.put("HOME", System.getProperty("user.home"));
            return all;
        }

        /** This version's services, or those of another build's {@code cms.jar}. */
        static Started start(Map<String, String> env, int webPort, Launcher launcher) {
            long t0 = System.nanoTime();
            ServiceProcess rm = launcher.start("rm", env, "resource manager: ready");
            long t1 = System.nanoTime();
            Map<String, String> webEnv = new HashMap<>(env);
            webEnv.put("CMS_WEB_PORT", String.valueOf(webPort));
            ServiceProcess web = launcher.start("web", webEnv, "CMS API:");
            long t2 = System.nanoTime();
            return new Started(rm, web, (t1 - t0) / 1e9, (t2 - t1) / 1e9, t2);
        }

        /** The services of another build's runnable jar, e.g. the version before job-state. */
        static Started fromJar(Path dir, String jar, Map<String, String> env, int webPort) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            return start(env, webPort, (command, e, line) -> ServiceProcess.exec(dir, command + "-before",
                    List.of(java, "-jar", jar, command), dir, e, line));
        }

        /** What each logged as it started (settings, the state read, warnings), for the figures. */
        String startLog() {
            java.util.function.Function<String, String> lines = out -> String.join("\n", out.lines()
                    .filter(l -> l.matches(".*(settings|Loader|JobRuntime|JobEventsReader|tokens|WARN|ready|API).*"))
                    .toList());
            return "resource manager:\n" + lines.apply(rm.output()) + "\nweb:\n" + lines.apply(web.output());
        }

        /** Seconds since both were ready. */
        double sinceReady() {
            return (System.nanoTime() - readyAt) / 1e9;
        }

        String rss() {
            return "resource manager " + rssMb(rm) + " MB, web " + rssMb(web) + " MB resident";
        }

        @Override
        public void close() {
            web.close();
            rm.close();
        }
    }

    @Test
    void withALongHistoryTheResourceManagerAndTheWebStartAsFastAsWithoutAndKeepTheWindow() throws Exception {
        try (TestCluster cms = new TestCluster()) {
            KafkaSettings kafka = new KafkaSettings(cms.broker.bootstrapServers());
            Map<String, String> env = env(cms);
            int webPort = TestCluster.freePort();
            cms.apiUrl = "http://127.0.0.1:" + webPort;
            Started.writeArchives(cms.dir, env, webPort);
            Started empty = Started.start(cms.dir, env, webPort);
            try (empty) {
                System.out.printf("without history: resource manager ready in %.2f s, web in %.2f s; %s%n",
                        empty.rmSeconds(), empty.webSeconds(), empty.rss());
                cms.withHost("it-host").withBalancer(Map.of("CMS_BALANCER", "haproxy"));
                JobsIT.pod(cms, POD, "light", "0.5", 1);
            }
            JobHistory.Written history = history(cms, JOBS, true);
            System.out.printf("history: %d ended jobs, %d job-events and %d job-state records written in %.1f s%n",
                    JOBS, history.eventRecords(), history.stateRecords(), history.seconds());
            System.out.printf("before (all of job-events into a JobBook, as the resource manager read it): %.1f s%n",
                    readAllEventsSeconds(kafka, limits(cms)));
            if (BEFORE_JAR != null) {
                try (Started before = Started.fromJar(cms.dir, BEFORE_JAR, env, webPort)) {
                    await().atMost(Duration.ofMinutes(5))
                            .until(() -> status(cms, history.last()).equals("SUCCEEDED"));
                    System.out.printf("before (%s): resource manager ready in %.2f s, web in %.2f s, the web knew the "
                            + "newest job after %.2f s more; %s%n", BEFORE_JAR, before.rmSeconds(), before.webSeconds(),
                            before.sinceReady(), before.rss());
                }
            }
            try (Started first = Started.start(cms.dir, env, webPort)) {
                System.out.printf("first start on the history: resource manager ready in %.2f s, web in %.2f s; %s%n",
                        first.rmSeconds(), first.webSeconds(), first.rss());
                TestCluster.Run recent = cms.cloud("job", "submit", POD, "--id", "recent-1", "--payload", "{\"n\":5}",
                        "--wait", "30");
                assertEquals(0, recent.exit(), recent::toString);
            }

            List<Double> rmSeconds = new ArrayList<>();
            List<Double> webSeconds = new ArrayList<>();
            for (int i = 1; i < RESTARTS; i++) { // the last restart is the one below, which the checks then use
                try (Started again = Started.start(cms.dir, env, webPort)) {
                    restarted(again, rmSeconds, webSeconds);
                }
            }
            try (Started again = Started.start(cms.dir, env, webPort)) {
                restarted(again, rmSeconds, webSeconds);
                System.out.println(again.startLog());
                readyInTime("resource manager", median(rmSeconds), empty.rmSeconds());
                readyInTime("web", median(webSeconds), empty.webSeconds());

                assertEquals("SUCCEEDED", status(cms, "recent-1"), "a job that ended before the restart");
                await("its result, from the tail of job-events the web reads again after it is ready")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> cms.api().get("/api/jobs/recent-1").json().hasNonNull("result"));
                assertEquals("SUCCEEDED", status(cms, history.last()), "the newest job of the history");
                if (history.firstForgotten()) {
                    assertEquals(404, cms.api().get("/api/jobs/" + history.first()).status(),
                            "a job out of the window is unknown, as one never seen");
                }
                windowHolds(cms, kafka, List.of("recent-1", history.last()),
                        history.firstForgotten() ? history.first() : null);
            }
        }
    }

    private static void restarted(Started again, List<Double> rmSeconds, List<Double> webSeconds) {
        System.out.printf("restart: resource manager ready in %.2f s, web in %.2f s; %s%n", again.rmSeconds(),
                again.webSeconds(), again.rss());
        rmSeconds.add(again.rmSeconds());
        webSeconds.add(again.webSeconds());
    }

    /** The median of the restarts' times (the lower middle one of an even count). */
    static double median(List<Double> seconds) {
        List<Double> sorted = seconds.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /**
     * Ready with the history within {@link #SLACK} of its start without any ({@code job-state} holds the window, not
     * the history); and within {@code -Dcms.restart.ready.seconds} when given (the 5 s, by hand).
     */
    private static void readyInTime(String service, double withHistory, double without) {
        assertTrue(withHistory <= without + SLACK.toMillis() / 1000.0, service + " ready in " + withHistory
                + " s with the history, " + without + " s without");
        if (READY_SECONDS != null) {
            assertTrue(withHistory <= READY_SECONDS, service + " ready in " + withHistory + " s");
        }
    }

    @Test
    void anUpgradeFromJobEventsAloneSeedsJobStateOnceAndTheNextStartReadsIt() throws Exception {
        try (TestCluster cms = new TestCluster()) {
            String bootstrap = cms.broker.bootstrapServers();
            KafkaSettings kafka = new KafkaSettings(bootstrap);
            int jobs = 2_000;
            JobHistory.Written history = history(cms, jobs, false);
            Map<String, String> env = env(cms);
            int webPort = TestCluster.freePort();
            cms.apiUrl = "http://127.0.0.1:" + webPort;
            try (Started upgraded = Started.start(cms.dir, env, webPort)) {
                assertTrue(upgraded.rm().output().contains("rebuilt from " + history.eventRecords()
                        + " record(s) of job-events once"), upgraded.rm().output());
                assertEquals("SUCCEEDED", status(cms, history.last()),
                        "the web read job-events while job-state was empty");
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> cms.records(Topics.JOB_STATE.topicName()).size() >= jobs);
            }
            try (Started next = Started.start(cms.dir, env, webPort)) {
                assertTrue(next.rm().output().contains("jobs rebuilt from " + jobs + " record(s) of job-state"),
                        next.rm().output());
                assertEquals("SUCCEEDED", status(cms, history.first()));
                windowHolds(cms, kafka, List.of(history.first(), history.last()), null);
            }
        }
    }

    /** The resource manager's job limits, as it reads them from this cluster's settings. */
    private static JobBook.Limits limits(TestCluster cms) {
        return ResourceManagerConfig.from(cms.settings(env(cms))).jobLimits();
    }

    /** The topics created and {@code jobs} ended jobs of history written, a day ago (with job-state or without). */
    private static JobHistory.Written history(TestCluster cms, int jobs, boolean withState) {
        TopicCreator.ensureAll(new KafkaSettings(cms.broker.bootstrapServers()));
        return JobHistory.write(cms.broker.bootstrapServers(), POD, jobs, limits(cms),
                Instant.now().minus(Duration.ofDays(1)), withState, TOMBSTONES);
    }

    /**
     * Ids submitted again straight onto {@code jobs}: those {@code inside} the window do not run again, the one
     * {@code outside} it (may be null) does.
     */
    private static void windowHolds(TestCluster cms, KafkaSettings kafka, List<String> inside, String outside)
            throws Exception {
        Map<TopicPartition, Long> from = endOffsets(kafka, Topics.JOB_EVENTS);
        List<String> again = new ArrayList<>(inside);
        if (outside != null) {
            again.add(outside);
        }
        List<RecordMetadata> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = JobsIT.plainProducer(kafka.bootstrapServers())) {
            for (String id : again) {
                sent.add(producer.send(new ProducerRecord<>(Topics.JOBS.topicName(), id,
                        "{\"jobId\":\"" + id + "\",\"pod\":\"" + POD + "\",\"payload\":{\"again\":true}}")).get());
            }
        }
        try (Admin admin = Admin.create(kafka.common("it-offsets"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> consumedAll(admin, sent));
        }
        if (outside != null) {
            await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(status(cms, outside)));
        }
        Map<String, Integer> queued = queuedSince(kafka, from);
        for (String id : inside) {
            assertEquals(null, queued.get(id), id + " inside the window: not run again");
        }
        if (outside != null) {
            assertEquals(1, queued.get(outside), outside + " out of the window: a new job, run once");
        }
    }

    private static String status(TestCluster cms, String id) {
        JsonHttp.Response r = cms.api().get("/api/jobs/" + id);
        return r.status() == 200 ? r.text("status") : String.valueOf(r.status());
    }

    private static boolean consumedAll(Admin admin, List<RecordMetadata> sent) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("cms-rm")
                .partitionsToOffsetAndMetadata().get();
        return sent.stream().allMatch(m -> {
            OffsetAndMetadata c = committed.get(new TopicPartition(m.topic(), m.partition()));
            return c != null && c.offset() > m.offset();
        });
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaSettings kafka, Topics topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.consumer("it-ends", null))) {
            return c.endOffsets(c.partitionsFor(topic.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList());
        }
    }

    /** JobQueued events per job on {@code job-events} from {@code from} to the end now. */
    private static Map<String, Integer> queuedSince(KafkaSettings kafka, Map<TopicPartition, Long> from) {
        EventCodec codec = new EventCodec();
        Map<String, Integer> queued = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.consumer("it-since", null))) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            Map<TopicPartition, Long> end = c.endOffsets(from.keySet());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    try {
                        if (codec.decode(r.value(), JobEvent.class) instanceof JobEvent.JobQueued) {
                            queued.merge(r.key(), 1, Integer::sum);
                        }
                    } catch (UndecodableRecordException e) {
                        throw new AssertionError(e);
                    }
                });
            }
        }
        return queued;
    }

    /** What the resource manager did at each start before job-state: all of job-events into a JobBook. */
    private static double readAllEventsSeconds(KafkaSettings kafka, JobBook.Limits limits) {
        EventCodec codec = new EventCodec();
        JobBook book = new JobBook(limits);
        long t0 = System.nanoTime();
        CompactedTopicReader.readAll(kafka, "it-all-events", Topics.JOB_EVENTS, Duration.ofSeconds(60), r -> {
            try {
                book.apply(codec.decode(r.value(), JobEvent.class));
            } catch (UndecodableRecordException e) {
                throw new AssertionError(e);
            }
        });
        return (System.nanoTime() - t0) / 1e9;
    }

    static long rssMb(ServiceProcess p) {
        try {
            String status = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "status"));
            return status.lines().filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }
}
