package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code cms bench reaction}: how fast elasticity answers a load step, on a light and on a heavy pod, with the
 * Docker driver by default. Each run registers a fresh pod with one node (its MAX held at 1 until the step), waits until
 * it serves through HAProxy, offers the pod's load before the step for 5 s, sets its MAX, then steps an open-loop load (requests sent on time
 * whatever the answers take, as users do) and times from the step: the resource manager registering a second node
 * (the decision applied); the first request a new node serves, by when it was sent (HAProxy hands a request on as
 * it comes, so that is when the new node received it) and by when its answer came; and the p95 latency back under
 * the pod's limit (the first second, after the decision, from which every second's p95 of the requests sent in it
 * is under the limit). Light: target mode on requests/s (40 a node), 10 → 120 requests/s, limit 100 ms. Heavy:
 * the default policy (CPU thresholds), 500 ms of CPU a request at 0.3 of a core per node (0.6 requests/s a node), a
 * step from nothing to 1.2 requests/s, limit 4 s (2.4 × one request alone). Failed requests are counted. With the
 * light pod, also the cold start: a light pod with MIN 0, a first request to its answer while it is at 0 nodes.
 */
final class ReactionBench {

    /** A kind of pod and its load step. */
    record Kind(String workload, Map<String, Object> elasticity, int before, double after, double p95LimitMs) {
    }

    static final Kind LIGHT = new Kind("light", Map.of("min", 1, "max", 4, "mode", "target", "metric", "rps",
            "target", 40), 10, 120, 100);
    static final Kind HEAVY = new Kind("heavy", Map.of("min", 1, "max", 3), 0, 1.2, 4000);

    /** How long the load of one run may last. */
    private static final long RUN_LIMIT_NANOS = 60_000_000_000L;
    /** Seconds of p95 under the limit after which a run ends. */
    private static final int CALM_SECONDS = 5;

    /**
     * One run's times from the step, in seconds (NaN: did not happen), and its failed requests: {@code made} when the
     * elasticity service made its decision (its own time on it), {@code decided} when the API showed the new node.
     */
    record Times(double made, double decided, double received, double answered, double p95Back, long failed,
                 long requests) {
    }

    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    ReactionBench(PrintStream out) {
        this.out = out;
    }

    /** {@code runs} load steps on each of {@code workloads} (light, heavy) with {@code driver}, fast path on and, with {@code normalToo}, off. */
    int run(int runs, List<String> workloads, String driver, boolean normalToo) throws Exception {
        Map<String, Times> medians = new LinkedHashMap<>();
        for (String workload : workloads) {
            Kind kind = switch (workload) {
                case "light" -> LIGHT;
                case "heavy" -> HEAVY;
                default -> throw new IllegalArgumentException("--workload '" + workload + "': light or heavy");
            };
            if (normalToo) {
                medians.put(workload + ", normal path only", run(runs, kind, driver, "0"));
            }
            medians.put(workload, run(runs, kind, driver, null));
        }
        double cold = workloads.contains("light") ? coldStarts(runs, driver) : Double.NaN;
        out.printf(Locale.ROOT, "medians of %d runs each, driver %s (seconds from the load step):%n", runs, driver);
        out.printf(Locale.ROOT, "%-28s %9s %9s %9s %9s %9s %8s%n", "pod", "MADE", "DECIDED", "RECEIVED", "ANSWERED",
                "P95 BACK", "FAILED");
        medians.forEach((name, t) -> out.printf(Locale.ROOT, "%-28s %9.2f %9.2f %9.2f %9.2f %9.2f %8d%n", name,
                t.made(), t.decided(), t.received(), t.answered(), t.p95Back(), t.failed()));
        if (!Double.isNaN(cold)) {
            out.printf(Locale.ROOT, "light pod at 0 nodes (MIN 0): cold start, a first request to its answer: median "
                    + "%.2f s%n", cold);
        }
        return 0;
    }

    /**
     * A light pod with MIN 0 on requests/s (scale-in window 5 s): {@code runs} times, once it is back at 0 nodes, one
     * request through its frontend, timed to its answer (it waits in the balancer's activator while a node starts).
     * Returns the median in seconds.
     */
    private double coldStarts(int runs, String driver) throws Exception {
        out.println("light pod scaling from zero (MIN 0 MAX 2, target 40 req/s a node, scale-in window 5 s):");
        List<Double> seconds = new ArrayList<>();
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start(List.of(), Map.of("CMS_NODE_DRIVER", driver,
                "CMS_BALANCER", "haproxy"))) {
            BenchApi api = new BenchApi(dev.url, dev.token);
            int port = BenchCommand.DevProcess.freePort();
            check(api.post("/api/pods", Map.of("name", "cold", "workload", "light", "cpu", 0.3, "frontend_port", port)),
                    "cold");
            check(api.put("/api/pods/cold/elasticity", Map.of("min", 0, "max", 2, "mode", "target", "metric", "rps",
                    "target", 40, "scale_in_window_seconds", 5, "scale_in_cooldown_seconds", 1)), "cold");
            URI frontend = URI.create("http://127.0.0.1:" + port + "/");
            awaitActivator(dev.dir.resolve("balancer").resolve("haproxy").resolve("cold").resolve("haproxy.cfg"));
            for (int run = 1; run <= runs; run++) {
                awaitNoNode(api, "cold");
                awaitListening(port);
                long t0 = System.nanoTime();
                HttpLoad.Result r = HttpLoad.send(http, frontend);
                double took = (System.nanoTime() - t0) / 1e9;
                if (r.status() != 200) {
                    throw new IllegalStateException("cold start " + run + ": HTTP " + r.status() + " " + r.body());
                }
                seconds.add(took);
                out.printf(Locale.ROOT, "run %d: answered by %s after %.2f s%n", run, r.node(), took);
            }
        }
        double median = BenchCommand.percentile(seconds, 50);
        out.printf(Locale.ROOT, "cold start from zero → first response: median %.2f s (min %.2f, max %.2f), %d runs, "
                + "0 failed%n", median, seconds.stream().mapToDouble(d -> d).min().orElse(0),
                seconds.stream().mapToDouble(d -> d).max().orElse(0), runs);
        return median;
    }

    /** Waits (at most 90 s) until none of the pod's nodes is NEW, STARTING, ONLINE or DRAINING. */
    private static void awaitNoNode(BenchApi api, String pod) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean none = true;
            for (com.fasterxml.jackson.databind.JsonNode n : api.pod(pod).path("nodes")) {
                none &= List.of("STOPPED", "FAILED").contains(n.path("state").asText());
            }
            if (none) {
                return;
            }
            Thread.sleep(200); // polling the API
        }
        throw new IllegalStateException("pod " + pod + " did not go back to 0 nodes within 90 s");
    }

    /** Waits (at most 30 s) until the pod's frontend accepts a connection (no request is sent). */
    /**
     * Until the pod's HAProxy has the balancer's activator as its backup server: before that, a request to a pod
     * with no node is refused at once (the balancer learns of MIN 0 a moment after the API said yes).
     */
    private static void awaitActivator(java.nio.file.Path haproxyCfg) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.exists(haproxyCfg)
                    && java.nio.file.Files.readString(haproxyCfg).contains("backup no-check")) {
                return;
            }
            Thread.sleep(100); // polling the balancer's file
        }
        throw new IllegalStateException("no activator in " + haproxyCfg + " within 30 s");
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100); // polling the frontend
            }
        }
        throw new IllegalStateException("no frontend on port " + port + " within 30 s");
    }

    /** {@code runs} steps on a fresh cms dev; returns the medians, and the failed requests of all runs. */
    private Times run(int runs, Kind kind, String driver, String surgeFactor) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CMS_NODE_DRIVER", driver, "CMS_BALANCER", "haproxy"));
        if (surgeFactor != null) {
            env.put("CMS_ELASTICITY_SURGE_FACTOR", surgeFactor);
        }
        out.printf(Locale.ROOT, "%s pod, %s, %.1f → %.1f requests/s%s:%n", kind.workload(), kind.elasticity(),
                (double) kind.before(), kind.after(), surgeFactor == null ? "" : " (CMS_ELASTICITY_SURGE_FACTOR=0)");
        List<Times> all = new ArrayList<>();
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start(List.of(), env)) {
            BenchApi api = new BenchApi(dev.url, dev.token);
            for (int run = 1; run <= runs; run++) {
                String pod = "re" + run;
                int port = BenchCommand.DevProcess.freePort();
                check(api.post("/api/pods", Map.of("name", pod, "workload", kind.workload(), "cpu", 0.3,
                        "frontend_port", port)), pod);
                // held at one node until the step: the bursts that find it serving must not grow it
                Map<String, Object> held = new LinkedHashMap<>(kind.elasticity());
                held.put("max", 1);
                check(api.put("/api/pods/" + pod + "/elasticity", held), pod);
                URI frontend = URI.create("http://127.0.0.1:" + port + "/");
                BalancerBench.awaitServed(URI.create("http://127.0.0.1:" + port + "/health"), 1);
                String first = HttpLoad.send(http, URI.create("http://127.0.0.1:" + port + "/health")).node();
                if (kind.before() > 0) {
                    try (LoadGen warm = LoadGen.open(frontend, kind.before())) {
                        Thread.sleep(5000); // the load before the step, for the metric's window to read it
                    }
                }
                check(api.put("/api/pods/" + pod + "/elasticity", kind.elasticity()), pod);
                Times t = step(api, pod, frontend, first, kind);
                all.add(t);
                out.printf(Locale.ROOT, "run %d: decision made %.2f s, in the API %.2f s, a new node received its first request %.2f s and "
                        + "answered it %.2f s, p95 under %.0f ms from %.2f s; %d of %d requests failed%n", run,
                        t.made(), t.decided(), t.received(), t.answered(), kind.p95LimitMs(), t.p95Back(), t.failed(),
                        t.requests());
                check(api.delete("/api/pods/" + pod + "/elasticity"), pod);
                api.delete("/api/pods/" + pod + "?force=true");
            }
        }
        return new Times(median(all, Times::made), median(all, Times::decided), median(all, Times::received), median(all, Times::answered),
                median(all, Times::p95Back), all.stream().mapToLong(Times::failed).sum(),
                all.stream().mapToLong(Times::requests).sum());
    }

    private Times step(BenchApi api, String pod, URI frontend, String first, Kind kind) throws Exception {
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        long decidedAt = 0;
        LoadGen load = LoadGen.open(frontend, kind.after());
        try {
            while (System.nanoTime() - start < RUN_LIMIT_NANOS) {
                if (decidedAt == 0 && api.pod(pod).path("nodes").size() > 1) {
                    decidedAt = System.nanoTime();
                }
                if (decidedAt != 0 && calmSince(load.sent, kind, decidedAt, start) && servedByNew(load, first)) {
                    break;
                }
                Thread.sleep(100); // the measurement's polling interval
            }
        } finally {
            load.close();
        }
        List<LoadGen.Sent> sent = new ArrayList<>(load.sent);
        LoadGen.Sent firstNew = sent.stream().filter(s -> s.node() != null && !s.node().equals(first))
                .min(Comparator.comparingLong(LoadGen.Sent::sentNanos)).orElse(null);
        double answered = sent.stream().filter(s -> s.node() != null && !s.node().equals(first))
                .mapToLong(LoadGen.Sent::answeredNanos).min().stream().mapToDouble(a -> (a - start) / 1e9).findFirst()
                .orElse(Double.NaN);
        out.println("  p95 ms by second from the step: " + p95BySecond(sent, start));
        return new Times(made(api, pod, startedAt), decidedAt == 0 ? Double.NaN : (decidedAt - start) / 1e9,
                firstNew == null ? Double.NaN : (firstNew.sentNanos() - start) / 1e9, answered,
                p95Back(sent, kind, decidedAt, start), load.failed(), sent.size());
    }

    /** Seconds from {@code startedAt} to the first decision the pod's elasticity made after it (its own time). */
    private static double made(BenchApi api, String pod, Instant startedAt) throws Exception {
        double first = Double.NaN;
        for (JsonNode d : api.elasticity(pod).path("decisions")) {
            Instant at = Instant.parse(d.path("at").asText());
            double s = Duration.between(startedAt, at).toNanos() / 1e9;
            if (!at.isBefore(startedAt) && (Double.isNaN(first) || s < first)) {
                first = s;
            }
        }
        return first;
    }

    private static boolean servedByNew(LoadGen load, String first) {
        return load.servedBy.keySet().stream().anyMatch(n -> !n.equals(first));
    }

    /** Whether the last {@link #CALM_SECONDS} whole seconds (after the decision) each had their p95 under the limit. */
    private static boolean calmSince(java.util.Collection<LoadGen.Sent> sent, Kind kind, long decidedAt, long start) {
        // only seconds whose requests have had the limit's time to be answered
        long settled = System.nanoTime() - (long) (kind.p95LimitMs() * 1e6) - 1_000_000_000L;
        double back = p95Back(sent.stream().filter(s -> s.sentNanos() < settled).toList(), kind, decidedAt, start);
        return !Double.isNaN(back) && (settled - start) / 1e9 - back >= CALM_SECONDS;
    }

    /**
     * The start of the first second after the decision from which every second's p95 (of the requests sent in it
     * and answered) is under the limit, up to the last whole second with an answer; NaN before the decision.
     */
    static double p95Back(List<LoadGen.Sent> sent, Kind kind, long decidedAt, long start) {
        if (decidedAt == 0) {
            return Double.NaN;
        }
        TreeMap<Long, List<Double>> bySecond = bySecond(sent, start);
        long decidedSecond = (decidedAt - start) / 1_000_000_000L;
        Long back = null;
        for (Map.Entry<Long, List<Double>> e : bySecond.entrySet()) {
            if (e.getKey() < decidedSecond) {
                continue;
            }
            if (BenchCommand.percentile(e.getValue(), 95) <= kind.p95LimitMs()) {
                back = back == null ? e.getKey() : back;
            } else {
                back = null;
            }
        }
        return back == null ? Double.NaN : back;
    }

    /** Each second's answer times in ms by the second the request was sent in; a failed request as infinite. */
    private static TreeMap<Long, List<Double>> bySecond(List<LoadGen.Sent> sent, long start) {
        TreeMap<Long, List<Double>> bySecond = new TreeMap<>();
        for (LoadGen.Sent s : sent) {
            bySecond.computeIfAbsent((s.sentNanos() - start) / 1_000_000_000L, k -> new ArrayList<>())
                    .add(s.status() == 200 ? s.millis() : Double.POSITIVE_INFINITY);
        }
        return bySecond;
    }

    private static String p95BySecond(List<LoadGen.Sent> sent, long start) {
        StringBuilder b = new StringBuilder();
        bySecond(sent, start).forEach((sec, ms) -> b.append(String.format(Locale.ROOT, "%s%.0f", b.length() == 0 ? "" : " ",
                BenchCommand.percentile(ms, 95))));
        return b.toString();
    }

    private static double median(List<Times> all, java.util.function.ToDoubleFunction<Times> f) {
        List<Double> v = all.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).boxed().toList();
        return v.isEmpty() ? Double.NaN : BenchCommand.percentile(v, 50);
    }

    private static void check(int status, String pod) {
        if (status >= 300) {
            throw new IllegalStateException("setting up pod " + pod + " answered " + status);
        }
    }
}
