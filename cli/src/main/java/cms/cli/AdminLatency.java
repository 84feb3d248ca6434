package cms.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Times admin requests one at a time, at a steady pace, while a benchmark loads CMS: a round of GETs (e.g.
 * {@code /api/pods}, {@code /api/live}) every {@code every}, each answer's time kept under the phase it
 * was sent in. A request that failed (not 200, or no answer within 10 s) is counted and timed at its end.
 */
final class AdminLatency implements AutoCloseable {

    private final String base;
    private final String token;
    private final List<String> paths;
    private final Duration every;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, List<Double>> millis = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile String phase = "start";
    private volatile boolean open = true;

    List<String> paths() {
        return paths;
    }

    /** Starts timing GETs of {@code paths} at {@code base} with {@code token}, a round every {@code every}. */
    AdminLatency(String base, String token, List<String> paths, Duration every) {
        this.base = base;
        this.token = token;
        this.paths = List.copyOf(paths);
        this.every = every;
        this.thread = new Thread(this::run, "scale-admin-latency");
        thread.setDaemon(true);
        thread.start();
    }

    void phase(String name) {
        phase = name;
    }

    private void run() {
        while (open) {
            long start = System.nanoTime();
            for (String path : paths) {
                time(path);
            }
            long rest = every.toNanos() - (System.nanoTime() - start);
            try {
                Thread.sleep(Math.max(0, rest / 1_000_000)); // the pace of the probe, not a wait for a condition
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void time(String path) {
        String at = phase;
        long t0 = System.nanoTime();
        boolean ok;
        try {
            ok = http.send(BenchApi.request(URI.create(base + path), token).timeout(Duration.ofSeconds(10)).GET()
                    .build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (java.io.IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        for (String key : List.of(at, at + " " + path)) {
            millis.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(ms);
            if (!ok) {
                failed.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    /** The answers' times of one phase ("steady"), or of one path in it ("steady /api/pods"), in ms (empty when none). */
    List<Double> times(String phaseName) {
        List<Double> l = millis.get(phaseName);
        return l == null ? List.of() : List.copyOf(l);
    }

    int failed(String phaseName) {
        AtomicInteger n = failed.get(phaseName);
        return n == null ? 0 : n.get();
    }

    /** "n=120 p50 12.0 ms p99 80.1 ms max 95.0 ms, 0 failed" for one phase, or one path in it. */
    String summary(String phaseName) {
        List<Double> l = times(phaseName);
        if (l.isEmpty()) {
            return "no request";
        }
        return String.format(Locale.ROOT, "n=%d p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed", l.size(),
                BenchCommand.percentile(l, 50), BenchCommand.percentile(l, 99), Collections.max(l), failed(phaseName));
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        thread.interrupt();
        thread.join(15_000);
    }
}
