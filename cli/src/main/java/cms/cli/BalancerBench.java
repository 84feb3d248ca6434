package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * {@code cms bench balancer}: light requests straight to three nodes and through their HAProxy
 * frontend, the same number at the same concurrency, in one run; then the time from a new node being
 * ONLINE to the first request it serves through the frontend.
 */
final class BalancerBench {

    private final PrintStream out;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    BalancerBench(PrintStream out) {
        this.out = out;
    }

    int run(int requests, int concurrency) throws Exception {
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start(List.of(),
                Map.of("CMS_NODE_DRIVER", "process", "CMS_BALANCER", "haproxy"))) {
            String base = dev.url;
            int port = BenchCommand.DevProcess.freePortForBench();
            post(base + "/api/pods", Map.of("name", "bench", "workload", "light", "frontend_port", port));
            List<URI> direct = new ArrayList<>();
            for (String n : List.of("b1", "b2", "b3")) {
                JsonNode node = launch(base, n);
                direct.add(URI.create("http://" + node.get("address").asText() + ":" + node.get("port").asInt() + "/"));
            }
            URI frontend = URI.create("http://127.0.0.1:" + port + "/");
            awaitServed(frontend, 3);
            HttpLoad.run(direct, requests / 5, concurrency);
            HttpLoad.run(List.of(frontend), requests / 5, concurrency);
            HttpLoad.Summary d = HttpLoad.run(direct, requests, concurrency);
            HttpLoad.Summary h = HttpLoad.run(List.of(frontend), requests, concurrency);
            print("direct to the 3 nodes", d, concurrency);
            print("through HAProxy", h, concurrency);
            out.printf(Locale.ROOT, "ratio HAProxy/direct: throughput %.2f, p50 latency %.2f, p99 latency %.2f%n",
                    h.perSecond() / d.perSecond(), h.percentile(50) / d.percentile(50),
                    h.percentile(99) / d.percentile(99));
            firstRequest(base, frontend);
            removeEverything(base, frontend);
        }
        return 0;
    }

    /** Removes the pod (its nodes stop, its frontend closes) before cms dev is stopped. */
    private void removeEverything(String base, URI frontend) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(base + "/api/pods/bench?force=true")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && HttpLoad.send(http, frontend).status() != -1) {
            Thread.sleep(100); // until the frontend is closed
        }
    }

    private void print(String what, HttpLoad.Summary s, int concurrency) {
        out.printf(Locale.ROOT, "%s: %d requests, %d at a time: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d failed%n",
                what, s.millis().size(), concurrency, s.perSecond(), s.percentile(50), s.percentile(99), s.failed());
    }

    /** Keeps one client on the frontend while a fourth node comes up; measures ONLINE → first answer. */
    private void firstRequest(String base, URI frontend) throws Exception {
        post(base + "/api/pods/bench/nodes", Map.of("name", "b4"));
        post(base + "/api/pods/bench/launch", Map.of());
        long online = 0;
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (online == 0 && "ONLINE".equals(state(base, "b4"))) {
                online = System.nanoTime();
            }
            HttpLoad.Result r = HttpLoad.send(client, frontend);
            if (online != 0 && "b4".equals(r.node())) {
                out.printf(Locale.ROOT, "node ONLINE (as the API shows it) to its first request served through "
                        + "HAProxy: %.2f s%n", (System.nanoTime() - online) / 1e9);
                return;
            }
        }
        throw new IllegalStateException("b4 never served a request");
    }

    private void awaitServed(URI frontend, int nodes) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (HttpLoad.run(List.of(frontend), 30, 3).servedBy().size() == nodes) {
                return;
            }
        }
        throw new IllegalStateException("the frontend never served all " + nodes + " nodes");
    }

    private JsonNode launch(String base, String name) throws Exception {
        post(base + "/api/pods/bench/nodes", Map.of("name", name));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (post(base + "/api/pods/bench/launch", Map.of()) == 409 && System.nanoTime() < deadline) {
            Thread.sleep(50); // the host's first heartbeat is on its way: poll again
        }
        while (System.nanoTime() < deadline) {
            JsonNode n = node(base, name);
            if (n != null && "ONLINE".equals(n.path("state").asText())) {
                return n;
            }
            Thread.sleep(20); // polling interval
        }
        throw new IllegalStateException(name + " did not become ONLINE");
    }

    private String state(String base, String name) throws Exception {
        JsonNode n = node(base, name);
        return n == null ? null : n.path("state").asText();
    }

    private JsonNode node(String base, String name) throws Exception {
        JsonNode pod = mapper.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/pods/bench")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode n : pod.path("data").path("nodes")) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }

    private int post(String url, Map<String, ?> body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
