package cms.cli;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.JobEvent;
import cms.core.kafka.KafkaSettings;
import cms.core.metrics.Exposition;
import cms.core.topic.Topics;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code cms bench jobs}: light jobs submitted over the HTTP job API at rising rates (each rate for a
 * fixed time), with the end-to-end latency from the submit to the job's terminal event as a client of
 * {@code job-events} receives it; then a burst of jobs for the most the system takes, and, in the same
 * run, plain HTTP requests through the same HAProxy frontend at the same concurrency as the jobs had
 * (the pod's nodes × jobs per node), for the ratio of job throughput to request throughput.
 */
final class JobsBench {

    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final EventCodec codec = new EventCodec();
    private final JobStages stages = new JobStages();

    /** The warm-up goes on in steps of this many seconds, and the JIT's compile time is read after each. */
    static final int WARM_UP_STEP_SECONDS = 10;
    /**
     * The JIT has settled when it compiled at most this long in the last step (a tenth of one compiler thread): a
     * fresh {@code cms dev} (broker and every service in one JVM) compiled for more than a step's length per step
     * 80–100 s into 1 000 jobs/s, and a run measured then was half as fast as one measured after 180 s.
     */
    static final double JIT_SETTLED_SECONDS = 1.0;

    private int warmUpRate = 1000;
    private int warmUpSeconds = 60;
    private int warmUpMaxSeconds = 300;

    JobsBench(PrintStream out) {
        this.out = out;
    }

    /**
     * Jobs offered at {@code rate} for at least {@code seconds} before anything is measured (none: 0 seconds), and
     * past that until the JIT of {@code cms dev} has settled, for at most {@code maxSeconds} in all.
     */
    JobsBench warmUp(int rate, int seconds, int maxSeconds) {
        if (rate < 1 || seconds < 0) {
            throw new IllegalArgumentException("--warmup-rate must be at least 1 and --warmup at least 0");
        }
        if (maxSeconds < seconds) {
            throw new IllegalArgumentException("--warmup-max must be at least --warmup (" + seconds + ")");
        }
        warmUpRate = rate;
        warmUpSeconds = seconds;
        warmUpMaxSeconds = maxSeconds;
        return this;
    }

    /**
     * Whether the warm-up ends after {@code elapsed} seconds whose last step the JIT spent {@code lastStepJit} seconds
     * compiling (NaN: not known): never before {@code min}, always at {@code max}, else once the JIT has settled.
     */
    static boolean warmUpEnds(int elapsed, double lastStepJit, int min, int max) {
        if (elapsed >= max) {
            return true;
        }
        return elapsed >= min && !Double.isNaN(lastStepJit) && lastStepJit <= JIT_SETTLED_SECONDS;
    }

    /** The JIT's compile time so far of the process behind {@code api}, from its {@code /metrics} (NaN: not known). */
    private static double jitSeconds(BenchApi api) throws Exception {
        HttpResponse<String> r = api.get("/metrics");
        return r.statusCode() != 200 ? Double.NaN
                : Exposition.value(r.body(), "jvm_compilation_seconds_total").orElse(Double.NaN);
    }

    /** Jobs at the warm-up rate in steps until {@link #warmUpEnds}; prints how long and the JIT's last step. */
    private void warmUp(BenchCommand.DevProcess dev, BenchApi api) throws Exception {
        int elapsed = 0;
        double compiled = jitSeconds(api);
        double lastStep = Double.NaN;
        while (!warmUpEnds(elapsed, lastStep, warmUpSeconds, warmUpMaxSeconds)) {
            int step = Math.min(WARM_UP_STEP_SECONDS, warmUpMaxSeconds - elapsed);
            paced(dev, warmUpRate, step, "warm-up");
            elapsed += step;
            double now = jitSeconds(api);
            lastStep = step == WARM_UP_STEP_SECONDS ? now - compiled : Double.NaN;
            compiled = now;
        }
        out.printf(Locale.ROOT, "warm-up: %d jobs/s for %d s (not counted; at least %d s, then until the JIT compiled "
                + "≤ %.1f s in %d s, at most %d s): the JIT compiled %s in the last %d s%n", warmUpRate, elapsed,
                warmUpSeconds, JIT_SETTLED_SECONDS, WARM_UP_STEP_SECONDS, warmUpMaxSeconds,
                Double.isNaN(lastStep) ? "(not known)" : String.format(Locale.ROOT, "%.1f s", lastStep),
                WARM_UP_STEP_SECONDS);
    }

    int run(List<Integer> rates, int secondsPerRate, int nodes, int perNode, int ahead, int burst) throws Exception {
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start(List.of(), Map.of("CMS_NODE_DRIVER",
                "process", "CMS_BALANCER", "haproxy", "CMS_RM_JOBS_PER_NODE", String.valueOf(perNode),
                "CMS_RM_JOBS_AHEAD", String.valueOf(ahead)))) {
            BenchApi api = new BenchApi(dev.url, dev.token);
            int port = BenchCommand.DevProcess.freePort();
            api.post("/api/pods", Map.of("name", "jb", "workload", "light", "cpu", 0.5, "frontend_port", port));
            for (int i = 1; i <= nodes; i++) {
                api.post("/api/pods/jb/nodes", Map.of("name", "jb" + i));
                api.launch("jb");
                api.awaitOnline("jb", "jb" + i);
            }
            URI frontend = URI.create("http://127.0.0.1:" + port + "/");
            BalancerBench.awaitServed(frontend, nodes);
            AtomicBoolean tailing = new AtomicBoolean(true);
            Thread tail = tail(dev.kafka, tailing);
            try {
                out.printf(Locale.ROOT, "pod of %d light nodes (0.5 CPU each), %d jobs per node at a time (%d in "
                        + "all), up to %d times that RUNNING ahead, HAProxy, process driver%n", nodes, perNode,
                        nodes * perNode, ahead);
                // the JIT of a fresh JVM (broker and every service in one) compiles for minutes under load: 20 s at
                // 200 jobs/s left the C2 compiler with a third of the process's CPU at 1 500 jobs/s a minute later,
                // and so did 60 s at 1 000 jobs/s on a slower day: the warm-up lasts until the JIT has settled
                if (warmUpSeconds > 0) {
                    warmUp(dev, api);
                }
                oneAtATime(dev, 200);
                Rate sustained = null;
                double mostDone = 0;
                for (int rate : rates) {
                    Rate r = paced(dev, rate, secondsPerRate, null);
                    mostDone = Math.max(mostDone, r.done());
                    if (r.keptUp() && r.p99() <= SUSTAINED_P99_MS && (sustained == null || r.offered() > sustained.offered())) {
                        sustained = r;
                    }
                }
                double jobsPerSecond = burst(dev, burst);
                out.printf(Locale.ROOT, "sustained: %s; saturation: %.0f jobs/s (the most done, paced or burst)%n",
                        sustained == null ? "no rate tried kept p99 ≤ " + SUSTAINED_P99_MS + " ms"
                                : String.format(Locale.ROOT, "%d jobs/s offered, %.0f done, p99 %.1f ms ≤ %d ms",
                                sustained.rate(), sustained.done(), sustained.p99(), SUSTAINED_P99_MS),
                        Math.max(mostDone, jobsPerSecond));
                int concurrency = nodes * perNode;
                HttpLoad.run(List.of(frontend), burst / 5, concurrency);
                HttpLoad.Summary plain = HttpLoad.run(List.of(frontend), burst, concurrency);
                out.printf(Locale.ROOT, "plain HTTP GETs through the same frontend, %d at a time: %.0f req/s (p50 "
                        + "%.2f ms, p99 %.2f ms, %d failed)%n", concurrency, plain.perSecond(), plain.percentile(50),
                        plain.percentile(99), plain.failed());
                out.printf(Locale.ROOT, "ratio jobs/s to requests/s at the same concurrency: %.3f%n",
                        jobsPerSecond / plain.perSecond());
            } finally {
                tailing.set(false);
                tail.join(5000);
            }
            api.delete("/api/pods/jb?force=true");
        }
        return 0;
    }

    /** The p99 end-to-end latency under which a rate counts as sustained. */
    static final int SUSTAINED_P99_MS = 250;

    /**
     * One paced rate: jobs/s asked for, sent and done (first submit → last end), p99 latency in ms, and whether it
     * kept up (done at ≥ 95 % of the rate sent, every job SUCCEEDED, none refused).
     */
    record Rate(int rate, double offered, double done, double p99, boolean keptUp) {
    }

    /** The most submits in flight at once, each on its own connection: a bounded load, as wrk's connections are. */
    static final int SENDERS = 64;

    /**
     * Submits {@code rate} jobs a second for {@code seconds} from {@link #SENDERS} threads, each sending one job at a
     * time on its kept-alive connection, then waits for them all to end; prints the figures. Job i is due at
     * start + i / rate, and its latency counts from then, not from when a sender was free to send it: a system
     * that falls behind is seen to (no coordinated omission).
     */
    private Rate paced(BenchCommand.DevProcess dev, int rate, int seconds, String label) throws Exception {
        String prefix = "r" + rate + "-" + System.nanoTime() + "-";
        int n = rate * seconds;
        long start = System.nanoTime() + 20_000_000L;
        int refused = sendAll(dev, prefix, n, SENDERS, i -> start + (long) (i * 1e9 / rate));
        double offered = n / ((System.nanoTime() - start) / 1e9);
        List<Double> latencies = awaitEnds(prefix, n - refused);
        double lastEnd = stages.lastEnd(prefix, start);
        long failed = stages.notSucceeded(prefix);
        double done = latencies.size() / ((lastEnd - start) / 1e9);
        double p99 = BenchCommand.percentile(latencies, 99);
        if (label == null) {
            out.printf(Locale.ROOT, "offered %4d jobs/s (%.0f sent) for %d s: %.0f jobs/s done, latency due → "
                    + "terminal event p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d not SUCCEEDED, %d refused%n  %s%n",
                    rate, offered, seconds, done, BenchCommand.percentile(latencies, 50), p99,
                    java.util.Collections.max(latencies), failed, refused, stages.summary(prefix));
        }
        return new Rate(rate, offered, done, p99, done >= 0.95 * rate && failed == 0 && refused == 0);
    }

    /**
     * Sends jobs {@code prefix}0 … {@code prefix}(n-1) from {@code threads} threads, one job at a time each, job i not
     * before {@code due(i)} (a System.nanoTime value; its latency counts from then); returns how many were refused.
     */
    private int sendAll(BenchCommand.DevProcess dev, String prefix, int n, int threads,
                        java.util.function.IntToLongFunction due) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < threads; s++) {
            senders.add(started("cms-bench-sender-" + s, () -> {
                for (int i; (i = next.getAndIncrement()) < n; ) {
                    long at = due.applyAsLong(i);
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    stages.due(prefix + i, at);
                    if (send(dev, prefix + i) != 202) {
                        refused.incrementAndGet();
                    } else {
                        stages.accepted(prefix + i, System.nanoTime());
                    }
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        return refused.get();
    }

    private static Thread started(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.start();
        return t;
    }

    /** One submit, blocking; its HTTP status, or -1 when it could not be sent. */
    private int send(BenchCommand.DevProcess dev, String id) {
        try {
            return http.send(submit(dev, id), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Jobs one after another, each submitted once the previous one ended: the latency with no queue at all. */
    private void oneAtATime(BenchCommand.DevProcess dev, int n) throws Exception {
        String prefix = "s-" + System.nanoTime() + "-";
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            long due = System.nanoTime();
            stages.due(id, due);
            HttpResponse<String> r = http.send(submit(dev, id), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
            }
            stages.accepted(id, System.nanoTime());
            latencies.addAll(awaitEnds(id, 1));
        }
        out.printf(Locale.ROOT, "one job at a time (%d): latency submit → terminal event p50 %.1f ms, p99 %.1f ms%n"
                + "  %s%n", n, BenchCommand.percentile(latencies, 50), BenchCommand.percentile(latencies, 99),
                stages.summary(prefix));
    }

    /** Submits {@code n} jobs as fast as 32 clients can; returns jobs/s from the first submit to the last end. */
    private double burst(BenchCommand.DevProcess dev, int n) throws Exception {
        String prefix = "b-" + System.nanoTime() + "-";
        long start = System.nanoTime();
        int refused = sendAll(dev, prefix, n, 32, i -> System.nanoTime());
        List<Double> latencies = awaitEnds(prefix, n - refused);
        double seconds = (stages.lastEnd(prefix, start) - start) / 1e9;
        out.printf(Locale.ROOT, "burst of %d jobs from 32 HTTP clients: %.0f jobs/s (submit of the first → end of "
                + "the last), latency p50 %.0f ms, p99 %.0f ms, %d refused%n", n, latencies.size() / seconds,
                BenchCommand.percentile(latencies, 50), BenchCommand.percentile(latencies, 99), refused);
        return latencies.size() / seconds;
    }

    private HttpRequest submit(BenchCommand.DevProcess dev, String id) {
        return BenchApi.request(URI.create(dev.url + "/api/jobs"), dev.token).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pod\":\"jb\",\"job_id\":\"" + id + "\",\"payload\":{}}"))
                .build();
    }

    private List<Double> awaitEnds(String prefix, int n) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            List<Double> latencies = stages.latencies(prefix);
            if (latencies.size() >= n) {
                return latencies;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + latencies.size() + " of " + n + " jobs ended within 5 min");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // polling a map filled by the tail thread
        }
    }

    /** Follows job-events from their end and notes when each job's terminal event arrives. */
    private Thread tail(String kafka, AtomicBoolean tailing) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(new KafkaSettings(kafka)
                .consumer("cms-bench-jobs", null));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOB_EVENTS.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread t = new Thread(() -> {
            try (consumer) {
                while (tailing.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        try {
                            JobEvent e = codec.decode(r.value(), JobEvent.class);
                            stages.seen(e, now);
                        } catch (UndecodableRecordException e) {
                            throw new IllegalStateException("unreadable job event: " + e.getMessage());
                        }
                    }
                }
            }
        }, "cms-bench-jobs-tail");
        t.start();
        return t;
    }
}
