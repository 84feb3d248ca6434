package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale from zero on requests, end to end: the broker, resource manager, elasticity service, balancer with real
 * HAProxy and process nodes. A pod with MIN 0 MAX 2 on rps starts with no node; a first request through its
 * HAProxy frontend waits in the activator while a node starts and is answered by it (the cold start is printed);
 * with no traffic the pod goes back to 0 after its own 5 s scale-in window; then five concurrent first requests
 * all succeed. Meanwhile a request to a pod whose node can never be placed (64 CPUs asked of a small host) gets
 * the activator's clear 503 at its hold limit, not a hang.
 */
class ScaleFromZeroIT {

    private static final Duration HOLD = Duration.ofSeconds(8);
    private static final Set<String> ACTIVE = Set.of("NEW", "STARTING", "ONLINE", "DRAINING");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    /** The pod's nodes that are not STOPPED or FAILED. */
    private static long active(TestCluster cms, String pod) {
        long n = 0;
        for (JsonNode node : cms.api().get("/api/pods/" + pod).data().get("nodes")) {
            n += ACTIVE.contains(node.get("state").asText()) ? 1 : 0;
        }
        return n;
    }

    /** A pod at 0 nodes, scaling from zero on rps, whose HAProxy has the activator as its backup server. */
    private static URI zeroPod(TestCluster cms, String pod, String... register) {
        int port = TestCluster.freePort();
        List<String> args = new ArrayList<>(List.of("pod", "register", pod, "--frontend-port", String.valueOf(port)));
        args.addAll(List.of(register));
        assertEquals(0, cms.cloud(args.toArray(String[]::new)).exit());
        TestCluster.Run enable = cms.cloud("elasticity", "enable", pod, "0", "2", "--mode", "target", "--metric", "rps",
                "--target", "20", "--scale-in-window", "5", "--scale-in-cooldown", "1");
        assertEquals(0, enable.exit(), enable.err());
        Path cfg = cms.dir.resolve("balancer").resolve("haproxy").resolve(pod).resolve("haproxy.cfg");
        // the admin socket is briefly gone while HAProxy reloads with the activator
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> Files.exists(cfg)
                && Files.readString(cfg).contains("backup no-check") && cms.balancers.get(0).slots(pod).size() > 0);
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Sends a GET now; completes with the answer and the milliseconds it took. */
    private CompletableFuture<Timed> get(URI uri) {
        long t0 = System.nanoTime();
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(40)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Timed(r, (System.nanoTime() - t0) / 1e6));
    }

    private record Timed(HttpResponse<String> response, double ms) {
    }

    @Test
    void aFirstRequestWaitsForTheFirstNodeAndThePodGoesBackToZeroWhenIdle() throws Exception {
        long start = System.nanoTime();
        try (TestCluster cms = new TestCluster().withResourceManager().withHost("it-host").withWeb(Map.of())
                .withBalancer(Map.of("CMS_BALANCER", "haproxy", "CMS_BALANCER_HOLD_MS", String.valueOf(HOLD.toMillis())))
                .withElasticity(Map.of())) {
            URI zero = zeroPod(cms, "zero");
            URI never = zeroPod(cms, "never", "--cpu", "64");
            assertEquals(0, active(cms, "zero"), "MIN 0: no node until a request comes");

            Timed first = get(zero).get();
            assertEquals(200, first.response().statusCode(), first.response().body());
            assertEquals(1, active(cms, "zero"));
            System.out.printf(Locale.ROOT, "ScaleFromZeroIT: cold start, one request: %.0f ms%n", first.ms());

            // a request no node can ever answer: the activator's 503 at its limit, while the first pod idles
            CompletableFuture<Timed> stuck = get(never);
            await().atMost(Duration.ofSeconds(20)).until(() -> active(cms, "zero") == 0);
            Timed refused = stuck.get();
            assertEquals(503, refused.response().statusCode(), refused.response().body());
            assertEquals("{\"error\":\"pod never has no node in service: none became ONLINE within "
                    + HOLD.toMillis() + " ms of waiting\"}", refused.response().body());
            assertTrue(refused.ms() >= HOLD.toMillis() && refused.ms() < HOLD.toMillis() + 3000, "" + refused.ms());

            List<CompletableFuture<Timed>> burst = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                burst.add(get(zero));
            }
            List<Double> times = new ArrayList<>();
            for (CompletableFuture<Timed> f : burst) {
                Timed t = f.get();
                assertEquals(200, t.response().statusCode(), t.response().body());
                times.add(t.ms());
            }
            System.out.printf(Locale.ROOT, "ScaleFromZeroIT: cold start, 5 concurrent first requests, 0 failed: %s ms%n",
                    times.stream().map(t -> String.format(Locale.ROOT, "%.0f", t)).toList());
            assertTrue(active(cms, "zero") >= 1);
            System.out.printf(Locale.ROOT, "ScaleFromZeroIT: %.1f s in all%n", (System.nanoTime() - start) / 1e9);
        }
    }
}
