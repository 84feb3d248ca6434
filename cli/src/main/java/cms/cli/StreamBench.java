package cms.cli;

import cms.core.codec.EventCodec;
import cms.core.event.Ids;
import cms.core.event.MetricSample;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * {@code cms bench stream}, against a fresh {@code cms dev}: (1) with {@code -c} open streams on
 * {@code /api/stream}, the delay from producing a metric record to each client receiving its event;
 * (2) the overview's load with {@code --nodes} registered nodes: the page, its script and style and
 * its {@code /api/live} snapshot, fetched one after another as a fresh browser would, timed.
 */
final class StreamBench {

    private static final String POD = "bench-stream";
    private static final int WARMUP = 20;
    private static final List<String> OVERVIEW = List.of("/", "/static/cms.css", "/static/cms.js",
            "/static/overview.js", "/api/live");

    private final PrintStream out;
    private final EventCodec codec = new EventCodec();

    StreamBench(PrintStream out) {
        this.out = out;
    }

    int run(int clients, int records, int nodes) throws Exception {
        // the embedded balancer: the frontends of the pods it registers live and die with cms dev
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start(List.of(),
                Map.of("CMS_BALANCER", "embedded"))) {
            delay(dev, clients, records);
            overview(dev, nodes);
        }
        return 0;
    }

    private void delay(BenchCommand.DevProcess dev, int clients, int records) throws Exception {
        List<Queue<StreamClient.Event>> received = new ArrayList<>();
        List<StreamClient> streams = new ArrayList<>();
        long[] sent = new long[WARMUP + records];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new KafkaSettings(dev.kafka)
                .producer("bench-stream", null))) {
            for (int c = 0; c < clients; c++) {
                Queue<StreamClient.Event> q = new ConcurrentLinkedQueue<>();
                received.add(q);
                streams.add(new StreamClient(dev.url + "/api/stream?kind=metrics&pod=" + POD, dev.token, null, q::add));
            }
            EventPublisher publisher = new EventPublisher(producer, codec);
            for (int i = 0; i < sent.length; i++) {
                sent[i] = System.nanoTime();
                publisher.publish(Topics.METRICS, new MetricSample.PodSample(Ids.next(), 1, Instant.now(), POD,
                        (double) i, 0, 0, null, null, null, null, null, null, "bench"));
                Thread.sleep(50); // 20 records a second, as a balancer with 20 pods would publish
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (System.nanoTime() < deadline && received.stream().anyMatch(q -> q.size() < sent.length)) {
                Thread.sleep(50); // waiting for the last events to arrive
            }
        } finally {
            for (StreamClient s : streams) {
                s.close();
            }
        }
        List<Double> millis = new ArrayList<>();
        int missing = 0;
        for (Queue<StreamClient.Event> q : received) {
            missing += sent.length - q.size();
            for (StreamClient.Event e : q) {
                int i = (int) codec.mapper().readTree(e.data()).path("event").path("requests_per_second").asDouble();
                if (i >= WARMUP) {
                    millis.add((e.receivedNanos() - sent[i]) / 1e6);
                }
            }
        }
        out.printf(Locale.ROOT, "stream delay, metric record produced -> event received, %d clients x %d records "
                + "(%d missing): median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", clients, records, missing,
                BenchCommand.percentile(millis, 50), BenchCommand.percentile(millis, 90),
                BenchCommand.percentile(millis, 99), Collections.max(millis));
    }

    private void overview(BenchCommand.DevProcess dev, int nodes) throws Exception {
        BenchApi api = new BenchApi(dev.url, dev.token);
        int pods = (nodes + 49) / 50;
        for (int p = 0; p < pods; p++) {
            api.post("/api/pods", Map.of("name", "ov" + p, "workload", "light", "node_limit", 50));
            for (int n = p * 50; n < Math.min(nodes, (p + 1) * 50); n++) {
                api.post("/api/pods/ov" + p + "/nodes", Map.of("name", "ov" + p + "-" + n));
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        List<Double> millis = new ArrayList<>();
        long bytes = 0;
        for (int run = 0; run < 25; run++) {
            long t0 = System.nanoTime();
            bytes = 0;
            for (String path : OVERVIEW) {
                HttpResponse<byte[]> r = http.send(BenchApi.request(URI.create(dev.url + path), dev.token).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + ": HTTP " + r.statusCode());
                }
                bytes += r.body().length;
            }
            if (run >= 5) {
                millis.add((System.nanoTime() - t0) / 1e6);
            }
        }
        out.printf(Locale.ROOT, "overview with %d registered nodes in %d pods (page, style, scripts, /api/live: %d "
                + "bytes), 20 loads: median %.1f ms, p90 %.1f ms, max %.1f ms%n", nodes, pods, bytes,
                BenchCommand.percentile(millis, 50), BenchCommand.percentile(millis, 90), Collections.max(millis));
    }
}
