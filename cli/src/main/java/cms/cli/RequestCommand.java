package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cloud request POD}: the original end-user client. One request through the pod's load-balancer
 * frontend, printing which node served it and how long it took; with {@code -n}/{@code -c}, a bounded
 * load with latency percentiles, errors and how the requests spread over the nodes.
 */
@Command(name = "request", description = "Send requests to a pod through its load balancer.")
final class RequestCommand implements Callable<Integer> {

    static final int MAX_REQUESTS = 1_000_000;
    static final int MAX_CONCURRENCY = 256;

    @ParentCommand CloudCommand cloud;
    @Parameters(index = "0", paramLabel = "POD") String podName;
    @Option(names = "-n", description = "how many requests (default 1, at most 1000000)") int count = 1;
    @Option(names = "-c", description = "how many at a time (default 1, at most 256)") int concurrency = 1;
    @Option(names = "--path", description = "request path (default /)") String path = "/";
    @Option(names = "--host", description = "balancer host (default: the API's host)") String host;

    private record Result(int status, double millis, String node, String body) {
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > MAX_REQUESTS) {
            cloud.err.println("cloud: -n must be within [1, " + MAX_REQUESTS + "], got " + count);
            return CloudCommand.USAGE;
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            cloud.err.println("cloud: -c must be within [1, " + MAX_CONCURRENCY + "], got " + concurrency);
            return CloudCommand.USAGE;
        }
        ApiClient.Response pod;
        try {
            pod = cloud.api().get("/api/pods/" + ApiClient.segment(podName));
        } catch (ApiClient.UnreachableException e) {
            cloud.err.println("cloud: " + e.getMessage());
            return CloudCommand.UNAVAILABLE;
        }
        if (!pod.ok()) {
            cloud.err.println("cloud: " + pod.message());
            return pod.status() >= 500 ? CloudCommand.UNAVAILABLE : CloudCommand.REFUSED;
        }
        JsonNode port = pod.data().get("frontendPort");
        if (port == null || port.isNull()) {
            cloud.err.println("cloud: pod " + podName + " has no load-balancer frontend");
            return CloudCommand.REFUSED;
        }
        String balancer = host != null ? host : URI.create(cloud.api().baseUrl()).getHost();
        URI target = URI.create("http://" + balancer + ":" + port.asInt() + path);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return count == 1 ? single(http, target) : load(http, target);
    }

    private int single(HttpClient http, URI target) {
        Result r = send(http, target);
        if (r.status() == 200) {
            cloud.out.printf(Locale.ROOT, "served by %s in %.1f ms%n", r.node(), r.millis());
            return 0;
        }
        cloud.err.println("cloud: " + target + " answered " + (r.status() < 0 ? "nothing" : "HTTP " + r.status())
                + ": " + r.body().strip());
        return r.status() == 503 ? CloudCommand.REFUSED : CloudCommand.UNAVAILABLE;
    }

    private int load(HttpClient http, URI target) throws Exception {
        AtomicInteger left = new AtomicInteger(count);
        List<Double> millis = Collections.synchronizedList(new ArrayList<>(count));
        Map<String, LongAdder> byNode = new ConcurrentHashMap<>();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            workers.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    Result r = send(http, target);
                    millis.add(r.millis());
                    if (r.status() == 200) {
                        byNode.computeIfAbsent(r.node(), k -> new LongAdder()).increment();
                    } else {
                        errors.computeIfAbsent(r.status() < 0 ? "no answer" : "HTTP " + r.status(),
                                k -> new LongAdder()).increment();
                    }
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long failed = errors.values().stream().mapToLong(LongAdder::sum).sum();
        cloud.out.printf(Locale.ROOT, "%d requests, %d at a time, in %.2f s: %.0f req/s, %d failed%n", count,
                concurrency, seconds, count / seconds, failed);
        cloud.out.printf(Locale.ROOT, "latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                BenchCommand.percentile(millis, 50), BenchCommand.percentile(millis, 90),
                BenchCommand.percentile(millis, 99), Collections.max(millis));
        Map<String, Long> served = new TreeMap<>();
        byNode.forEach((k, v) -> served.put(k, v.sum()));
        cloud.out.println("served by: " + served);
        if (failed > 0) {
            Map<String, Long> why = new TreeMap<>();
            errors.forEach((k, v) -> why.put(k, v.sum()));
            cloud.out.println("errors: " + why);
        }
        return failed == 0 ? 0 : CloudCommand.REFUSED;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static Result send(HttpClient http, URI target) {
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
}
