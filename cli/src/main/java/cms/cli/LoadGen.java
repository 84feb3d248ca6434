package cms.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded load for tests and {@code cms bench chaos}: a few keep-alive clients sending GETs to one frontend until stopped (or
 * for at most a minute), counting answers per node and every failure with its cause.
 */
final class LoadGen implements AutoCloseable {

    static final Duration LIMIT = Duration.ofSeconds(60);

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    final Map<String, LongAdder> servedBy = new ConcurrentHashMap<>();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    final AtomicLong ok = new AtomicLong();
    private final Map<String, Long> firstSinceMark = new ConcurrentHashMap<>();

    private java.util.concurrent.ScheduledExecutorService paced;

    /** One client sending a GET every {@code every}: a gentle load that keeps requests flowing. */
    static LoadGen paced(URI target, Duration every) {
        return scheduled(target, every, false);
    }

    /**
     * One client sending {@code perSecond} GETs a second whatever each one takes (a late one is made up
     * at once): a request rate a test can count on, as long as answers are quicker than the period.
     */
    static LoadGen atRate(URI target, int perSecond) {
        return scheduled(target, Duration.ofNanos(1_000_000_000L / perSecond), true);
    }

    private static LoadGen scheduled(URI target, Duration period, boolean fixedRate) {
        LoadGen g = new LoadGen(target, 0);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(20)).GET().build();
        g.paced = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        Runnable send = () -> g.once(http, get);
        if (fixedRate) {
            g.paced.scheduleAtFixedRate(send, 0, period.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } else {
            g.paced.scheduleWithFixedDelay(send, 0, period.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return g;
    }

    /**
     * An open-loop load: {@code perSecond} GETs a second sent without waiting for earlier answers (so a slow pod
     * sees the rate that arrives, not the one it manages to answer), at most {@link #MAX_OUTSTANDING} unanswered at a
     * time (one more is counted as a failure, not sent) and for at most {@link #LIMIT}.
     */
    static LoadGen open(URI target, double perSecond) {
        LoadGen g = new LoadGen(target, 0);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest get = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(20)).GET().build();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        g.paced = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        g.paced.scheduleAtFixedRate(() -> {
            if (!g.running.get() || System.nanoTime() > deadline) {
                return;
            }
            if (g.outstanding.incrementAndGet() > MAX_OUTSTANDING) {
                g.outstanding.decrementAndGet();
                g.failures.computeIfAbsent("client: " + MAX_OUTSTANDING + " requests unanswered, one not sent",
                        k -> new LongAdder()).increment();
                return;
            }
            long sent = System.nanoTime();
            http.sendAsync(get, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (e != null) {
                    g.failures.computeIfAbsent(e.toString(), k -> new LongAdder()).increment();
                    g.sent.add(new Sent(sent, System.nanoTime(), -1, null));
                } else {
                    g.sent.add(new Sent(sent, System.nanoTime(), r.statusCode(), g.answered(r)));
                }
                synchronized (g.outstanding) {
                    g.outstanding.decrementAndGet();
                    g.outstanding.notifyAll();
                }
            });
        }, 0, (long) (1e9 / perSecond), java.util.concurrent.TimeUnit.NANOSECONDS);
        return g;
    }

    /** One request of an open-loop load: when it was sent and answered ({@link System#nanoTime}), how, by which node. */
    record Sent(long sentNanos, long answeredNanos, int status, String node) {
        double millis() {
            return (answeredNanos - sentNanos) / 1e6;
        }
    }

    /** Every request an open-loop load sent and got an answer or an error for, in the order they ended. */
    final java.util.Queue<Sent> sent = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Unanswered requests an open-loop load allows at once. */
    static final int MAX_OUTSTANDING = 500;
    private final AtomicLong outstanding = new AtomicLong();

    private void once(HttpClient http, HttpRequest get) {
        try {
            answered(http.send(get, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            failures.computeIfAbsent(e.toString(), k -> new LongAdder()).increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Counts an answer; returns the node that served it (null for a failure). */
    private String answered(HttpResponse<String> r) {
        if (r.statusCode() == 200) {
            ok.incrementAndGet();
            String node = r.body().replaceFirst("^.*\"node\":\"([^\"]+)\".*$", "$1");
            servedBy.computeIfAbsent(node, k -> new LongAdder()).increment();
            firstSinceMark.putIfAbsent(node, System.nanoTime());
            return node;
        }
        failures.computeIfAbsent("HTTP " + r.statusCode() + " " + r.body(), k -> new LongAdder()).increment();
        return null;
    }

    LoadGen(URI target, int clients) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                HttpRequest get = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(20)).GET().build();
                while (running.get() && System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                    once(http, get);
                }
            }, "it-load-" + i);
            t.start();
            threads.add(t);
        }
    }

    long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** From now on {@link #firstAnswerSinceMark} counts only answers received after this call. */
    void mark() {
        firstSinceMark.clear();
    }

    /** The {@link System#nanoTime} of the first answer from {@code node} since the last mark (or the start), or null. */
    Long firstAnswerSinceMark(String node) {
        return firstSinceMark.get(node);
    }

    long served(String node) {
        LongAdder a = servedBy.get(node);
        return a == null ? 0 : a.sum();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        if (paced != null) {
            paced.shutdown();
            paced.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        long until = System.nanoTime() + 30_000_000_000L;
        synchronized (outstanding) {
            while (outstanding.get() > 0 && System.nanoTime() < until) {
                outstanding.wait(1000); // woken by each answer; the limit bounds the wait for the last ones
            }
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
