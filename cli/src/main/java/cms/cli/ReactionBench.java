package cms.cli;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cms bench reaction}: how fast elasticity answers a load step. Each run registers a fresh heavy pod
 * (0.3 CPU per node) with elasticity 1..3 at the service's default settings, waits until its one node
 * serves through HAProxy, then starts two clients sending heavy requests without pause (two nodes' worth
 * of CPU), and times, from the first request of the load: the resource manager registering the second
 * node (the decision applied), and the first request the new node serves through the frontend. The load
 * stops at that moment (or after 90 s) and the pod is removed. It runs the steps twice, side by side: with the
 * elasticity service's fast path off ({@code CMS_ELASTICITY_SURGE_FACTOR=0}, the normal path alone), then on.
 */
final class ReactionBench {

    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    ReactionBench(PrintStream out) {
        this.out = out;
    }

    /** The normal path alone (the fast path off), then the service's default (with it), {@code runs} load steps each. */
    int run(int runs) throws Exception {
        double[] normal = run(runs, "0", "normal path only (CMS_ELASTICITY_SURGE_FACTOR=0)");
        double[] fast = run(runs, null, "with the fast path (the default)");
        out.printf(Locale.ROOT, "side by side, medians of %d runs each: decision applied %.2f s → %.2f s, first request "
                + "served by the new node %.2f s → %.2f s%n", runs, normal[0], fast[0], normal[1], fast[1]);
        return 0;
    }

    /** {@code runs} load steps on a fresh cms dev; returns the medians [decided, served]. */
    private double[] run(int runs, String surgeFactor, String label) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CMS_NODE_DRIVER", "process", "CMS_BALANCER", "haproxy"));
        if (surgeFactor != null) {
            env.put("CMS_ELASTICITY_SURGE_FACTOR", surgeFactor);
        }
        out.println(label + ":");
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start(List.of(), env)) {
            BenchApi api = new BenchApi(dev.url, dev.token);
            List<Double> decided = new ArrayList<>();
            List<Double> served = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                String pod = "re" + run;
                int port = BenchCommand.DevProcess.freePort();
                api.post("/api/pods", Map.of("name", pod, "workload", "heavy", "cpu", 0.3, "frontend_port", port));
                check(api.put("/api/pods/" + pod + "/elasticity", Map.of("min", 1, "max", 3)), pod);
                URI frontend = URI.create("http://127.0.0.1:" + port + "/");
                URI health = URI.create("http://127.0.0.1:" + port + "/health");
                BalancerBench.awaitServed(health, 1); // cheap requests: a heavy one takes 1.7 s of this node
                String first = HttpLoad.send(http, health).node();
                double[] times = step(api, pod, frontend, first);
                decided.add(times[0]);
                served.add(times[1]);
                out.printf(Locale.ROOT, "run %d: second node registered after %.2f s, serving through HAProxy after "
                        + "%.2f s%n", run, times[0], times[1]);
                check(api.delete("/api/pods/" + pod + "/elasticity"), pod);
                api.delete("/api/pods/" + pod + "?force=true");
            }
            out.printf(Locale.ROOT, "load step → scale-out decision applied: median %.2f s (min %.2f, max %.2f); → "
                    + "first request served by the new node: median %.2f s (min %.2f, max %.2f), %d runs%n",
                    BenchCommand.percentile(decided, 50), min(decided), max(decided),
                    BenchCommand.percentile(served, 50), min(served), max(served), runs);
            return new double[] {BenchCommand.percentile(decided, 50), BenchCommand.percentile(served, 50)};
        }
    }

    /** Two clients of heavy requests until a node other than {@code first} answers; returns [decided, served] s. */
    private double[] step(BenchApi api, String pod, URI frontend, String first) throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong servedAt = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + 90_000_000_000L;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            Thread t = new Thread(() -> {
                HttpClient client = HttpClient.newHttpClient();
                while (loading.get() && System.nanoTime() < deadline) {
                    HttpLoad.Result r = HttpLoad.send(client, frontend);
                    if (r.node() != null && !r.node().equals(first)) {
                        servedAt.compareAndSet(0, System.nanoTime());
                        loading.set(false);
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        long decidedAt = 0;
        while (loading.get() && System.nanoTime() < deadline) {
            if (decidedAt == 0 && api.pod(pod).path("nodes").size() > 1) {
                decidedAt = System.nanoTime();
            }
            Thread.sleep(20); // polling interval of the measurement
        }
        loading.set(false);
        for (Thread t : clients) {
            t.join();
        }
        if (servedAt.get() == 0) {
            throw new IllegalStateException("no second node served " + pod + " within 90 s");
        }
        if (decidedAt == 0) {
            decidedAt = servedAt.get();
        }
        return new double[] {(decidedAt - start) / 1e9, (servedAt.get() - start) / 1e9};
    }

    private static void check(int status, String pod) {
        if (status >= 300) {
            throw new IllegalStateException("changing the elasticity of " + pod + " answered " + status);
        }
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
