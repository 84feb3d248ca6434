package cms.cli;

import cms.core.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The steady load of {@code cms bench chaos}: client GETs through the pod's frontend at a fixed rate, and
 * jobs at a fixed rate, half over HTTP ({@code POST /api/jobs}, accepted when answered 202) and half by a
 * plain Kafka producer on {@code jobs} (accepted when the broker acknowledged the record). Every job id
 * starts with the label of the fault that was under way when it was submitted, so each fault's jobs can be
 * counted on their own.
 */
final class ChaosLoad implements AutoCloseable {

    private final LoadGen clients;
    private final ScheduledExecutorService submitters = Executors.newScheduledThreadPool(2);
    private final KafkaProducer<String, String> producer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Set<String>> submitted = new ConcurrentHashMap<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile String label = "warmup";
    private long okMark;
    private long failedMark;

    private ChaosLoad(URI frontend, String bootstrap, int requestsPerSecond) {
        clients = LoadGen.atRate(frontend, requestsPerSecond);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000));
    }

    /** Starts the clients and the jobs, {@code jobsPerSecond} in all, for {@code pod}; {@code token} for the API. */
    static ChaosLoad start(String api, String token, URI frontend, String bootstrap, String pod, int requestsPerSecond,
                           int jobsPerSecond) {
        ChaosLoad load = new ChaosLoad(frontend, bootstrap, requestsPerSecond);
        long periodNanos = 2_000_000_000L / jobsPerSecond;
        load.submitters.scheduleAtFixedRate(() -> load.overHttp(api, token, pod), 0, periodNanos, TimeUnit.NANOSECONDS);
        load.submitters.scheduleAtFixedRate(() -> load.overKafka(pod), periodNanos / 2, periodNanos,
                TimeUnit.NANOSECONDS);
        return load;
    }

    private String nextId(String how) {
        String id = label + "-" + how + "-" + sequence.incrementAndGet();
        submitted.computeIfAbsent(label, k -> ConcurrentHashMap.newKeySet()).add(id);
        return id;
    }

    private void overHttp(String api, String token, String pod) {
        String id = nextId("h");
        HttpRequest post = BenchApi.request(URI.create(api + "/api/jobs"), token).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pod\":\"" + pod + "\",\"job_id\":\"" + id + "\"}")).build();
        http.sendAsync(post, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            if (r != null && r.statusCode() == 202) {
                accepted.add(id);
            }
        });
    }

    private void overKafka(String pod) {
        String id = nextId("k");
        try {
            producer.send(new ProducerRecord<>(Topics.JOBS.topicName(), id, "{\"jobId\":\"" + id + "\",\"pod\":\""
                    + pod + "\"}"), (m, e) -> {
                        if (e == null) {
                            accepted.add(id);
                        }
                    });
        } catch (RuntimeException e) {
            // not taken by the producer (no metadata within its 2 s): submitted, not accepted
        }
    }

    /** From now on, jobs carry {@code next}; the client counts start again. */
    synchronized void phase(String next) {
        label = next;
        okMark = clients.ok.get();
        failedMark = clients.failed();
    }

    /** Client requests since the phase began: {sent, failed}. */
    synchronized long[] requests() {
        long failed = clients.failed() - failedMark;
        return new long[] {clients.ok.get() - okMark + failed, failed};
    }

    Set<String> submitted(String phase) {
        return Set.copyOf(submitted.getOrDefault(phase, Set.of()));
    }

    Set<String> accepted() {
        return accepted;
    }

    /** Whether every accepted job of {@code phase} has a terminal event in the tap. */
    boolean ended(String phase, JobEventsTap tap) {
        return submitted(phase).stream().filter(accepted::contains)
                .allMatch(id -> !JobEventsTap.terminals(tap.events(id)).isEmpty());
    }

    /** Stops submitting and sending; waits for what is in flight (the producer's records, the clients). */
    @Override
    public void close() throws InterruptedException {
        submitters.shutdown();
        submitters.awaitTermination(30, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(30));
        clients.close();
    }
}
