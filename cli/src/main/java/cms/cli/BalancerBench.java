package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cms bench balancer}: light requests straight to three nodes, through their HAProxy frontend and
 * through the embedded balancer (its own process, on 127.0.0.2), the same number at the same
 * concurrency, in one run; then the time from a new node being ONLINE to the first request it serves
 * through the HAProxy frontend.
 */
final class BalancerBench {

    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    BalancerBench(PrintStream out) {
        this.out = out;
    }

    int run(int requests, int concurrency) throws Exception {
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start(List.of(),
                Map.of("CMS_NODE_DRIVER", "process", "CMS_BALANCER", "haproxy"))) {
            BenchApi api = new BenchApi(dev.url, dev.token);
            int port = BenchCommand.DevProcess.freePort();
            api.post("/api/pods", Map.of("name", "bench", "workload", "light", "frontend_port", port));
            List<URI> direct = new ArrayList<>();
            for (String n : List.of("b1", "b2", "b3")) {
                api.post("/api/pods/bench/nodes", Map.of("name", n));
                api.launch("bench");
                JsonNode node = api.awaitOnline("bench", n);
                direct.add(URI.create("http://" + node.get("address").asText() + ":" + node.get("port").asInt() + "/"));
            }
            URI frontend = URI.create("http://127.0.0.1:" + port + "/");
            awaitServed(frontend, 3);
            // the embedded balancer, as its own process, serves the same pod on another loopback address
            ProcessBuilder pb = new ProcessBuilder(BenchCommand.DevProcess.javaCommand("balancer"))
                    .redirectErrorStream(true).redirectOutput(dev.dir.resolve("embedded.log").toFile());
            pb.environment().putAll(Map.of("CMS_KAFKA", dev.kafka, "CMS_BALANCER", "embedded",
                    "CMS_BALANCER_ADDRESS", "127.0.0.2"));
            Process embeddedBalancer = pb.start();
            try {
                URI embedded = URI.create("http://127.0.0.2:" + port + "/");
                awaitServed(embedded, 3);
                HttpLoad.run(direct, requests / 5, concurrency);
                HttpLoad.run(List.of(frontend), requests / 5, concurrency);
                HttpLoad.run(List.of(embedded), requests / 5, concurrency);
                // rounds interleave the three paths, so that noise on this shared machine hits them alike
                List<HttpLoad.Summary> d = new ArrayList<>();
                List<HttpLoad.Summary> h = new ArrayList<>();
                List<HttpLoad.Summary> e = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    d.add(HttpLoad.run(direct, requests, concurrency));
                    h.add(HttpLoad.run(List.of(frontend), requests, concurrency));
                    e.add(HttpLoad.run(List.of(embedded), requests, concurrency));
                }
                Figures fd = Figures.median(d);
                Figures fh = Figures.median(h);
                Figures fe = Figures.median(e);
                print("direct to the 3 nodes", fd, concurrency);
                print("through HAProxy", fh, concurrency);
                print("through the embedded balancer", fe, concurrency);
                ratio("HAProxy", fh, fd);
                ratio("embedded", fe, fd);
            } finally {
                embeddedBalancer.destroy();
                embeddedBalancer.waitFor();
            }
            firstRequest(api, frontend);
            removeEverything(api, frontend);
        }
        return 0;
    }

    /** Removes the pod (its nodes stop, its frontend closes) before cms dev is stopped. */
    private void removeEverything(BenchApi api, URI frontend) throws Exception {
        api.delete("/api/pods/bench?force=true");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && HttpLoad.send(http, frontend).status() != -1) {
            Thread.sleep(100); // until the frontend is closed
        }
    }

    static final int ROUNDS = 3;

    /** Medians over the rounds of one path: throughput, p50, p99, and all failures. */
    private record Figures(double perSecond, double p50, double p99, long failed, int requests) {
        static Figures median(List<HttpLoad.Summary> rounds) {
            return new Figures(mid(rounds.stream().map(HttpLoad.Summary::perSecond).toList()),
                    mid(rounds.stream().map(s -> s.percentile(50)).toList()),
                    mid(rounds.stream().map(s -> s.percentile(99)).toList()),
                    rounds.stream().mapToLong(HttpLoad.Summary::failed).sum(),
                    rounds.stream().mapToInt(s -> s.millis().size()).sum());
        }

        private static double mid(List<Double> v) {
            return BenchCommand.percentile(v, 50);
        }
    }

    private void ratio(String what, Figures through, Figures direct) {
        out.printf(Locale.ROOT, "ratio %s/direct: throughput %.2f, p50 latency %.2f, p99 latency %.2f%n", what,
                through.perSecond() / direct.perSecond(), through.p50() / direct.p50(), through.p99() / direct.p99());
    }

    private void print(String what, Figures f, int concurrency) {
        out.printf(Locale.ROOT, "%s: %d rounds of %d requests, %d at a time, medians: %.0f req/s, p50 %.2f ms, "
                + "p99 %.2f ms; %d of %d failed%n", what, ROUNDS, f.requests() / ROUNDS, concurrency, f.perSecond(),
                f.p50(), f.p99(), f.failed(), f.requests());
    }

    /** Keeps one client on the frontend while a fourth node comes up; measures ONLINE → first answer. */
    private void firstRequest(BenchApi api, URI frontend) throws Exception {
        api.post("/api/pods/bench/nodes", Map.of("name", "b4"));
        api.launch("bench");
        long online = 0;
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode b4 = online == 0 ? api.node("bench", "b4") : null;
            if (b4 != null && "ONLINE".equals(b4.path("state").asText())) {
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

    static void awaitServed(URI frontend, int nodes) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (HttpLoad.run(List.of(frontend), 30, 3).servedBy().size() == nodes) {
                return;
            }
        }
        throw new IllegalStateException("the frontend never served all " + nodes + " nodes");
    }
}
