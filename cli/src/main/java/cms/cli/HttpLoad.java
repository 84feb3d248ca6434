package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded HTTP load: {@code n} GETs, {@code c} at a time, each client on its own keep-alive
 * connection, spread over the targets in turn. Used by {@code cloud request} and {@code cms bench}.
 */
final class HttpLoad {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One answer: HTTP status (-1 when none came), time taken, and the node named in the body. */
    record Result(int status, double millis, String node, String body) {
    }

    /** What a load gave: every latency, answers per node, failures by cause, and how long it took. */
    record Summary(List<Double> millis, Map<String, Long> servedBy, Map<String, Long> errors, double seconds) {
        long failed() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        double perSecond() {
            return millis.size() / seconds;
        }

        double percentile(int p) {
            return BenchCommand.percentile(millis, p);
        }

        double max() {
            return Collections.max(millis);
        }
    }

    private HttpLoad() {
    }

    static Result send(HttpClient http, URI target) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            double ms = (System.nanoTime() - t0) / 1e6;
            String node = "?";
            try {
                JsonNode body = MAPPER.readTree(r.body());
                node = body.path("node").asText("?");
            } catch (IOException e) {
                // not JSON: no node name to show
            }
            return new Result(r.statusCode(), ms, node, r.body());
        } catch (IOException e) {
            return new Result(-1, (System.nanoTime() - t0) / 1e6, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, 0, null, "interrupted");
        }
    }

    static Summary run(List<URI> targets, int n, int c) throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Double> millis = Collections.synchronizedList(new ArrayList<>(n));
        Map<String, LongAdder> byNode = new ConcurrentHashMap<>();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            workers.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                for (int k = next.getAndIncrement(); k < n; k = next.getAndIncrement()) {
                    Result r = send(http, targets.get(k % targets.size()));
                    millis.add(r.millis());
                    if (r.status() == 200) {
                        byNode.computeIfAbsent(r.node(), x -> new LongAdder()).increment();
                    } else {
                        errors.computeIfAbsent(r.status() < 0 ? "no answer" : "HTTP " + r.status(),
                                x -> new LongAdder()).increment();
                    }
                }
            }));
        }
        try {
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Summary(List.copyOf(millis), sums(byNode), sums(errors), seconds);
    }

    private static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
