package cms.balancer.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.balancer.PoolSpec;
import cms.balancer.model.SlotStep;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded proxy on loopback in front of one node (a JDK HTTP server): bodies far larger than any
 * buffer stream through in both directions, and a request's wait for its node follows the job's limit.
 *
 * <p>How the streaming tests prove it: one side stops in the middle of a 20 MB body and waits until
 * the other side has seen the first part of it. A proxy that held the whole body before passing it on
 * would never pass that first part while the rest is not there, so the wait would end in a failure
 * after 20 s; it passes in well under a second only because the proxy forwards bytes as they come.
 */
class EmbeddedProxyTest {

    private static final int MB = 1024 * 1024;
    private static final int BODY = 20 * MB;
    private static final Duration ORDINARY = Duration.ofMillis(300);
    /** The JDK client's timeout, which the proxy uses, also runs while the body goes out: room for 20 MB. */
    private static final Duration ROOMY = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private HttpServer node;
    private EmbeddedPool pool;
    private URI frontend;

    /** The proxy in front of the node; a node has {@code ordinary} to answer a request without a job's limit. */
    private void start(Duration ordinary) throws Exception {
        node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        node.setExecutor(Executors.newCachedThreadPool());
        node.start();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        pool = new EmbeddedPool(new PoolSpec("web", "127.0.0.1", port, "/health", 2), client, ordinary);
        pool.apply(new SlotStep.Assign("s1", "n1", "127.0.0.1", node.getAddress().getPort()));
        pool.slots[0].checked(true);
        pool.slots[0].checked(true);
        pool.apply(new SlotStep.Promote("s1", "n1"));
        frontend = URI.create("http://127.0.0.1:" + port);
    }

    @AfterEach
    void stop() {
        pool.stop();
        node.stop(0);
    }

    @Test
    void aTwentyMegabyteRequestBodyReachesTheNodeWhileTheClientIsStillSendingIt() throws Exception {
        start(ROOMY);
        CountDownLatch nodeHasFirstPart = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        node.createContext("/upload", x -> {
            try (InputStream in = x.getRequestBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int n; (n = in.read(chunk)) >= 0; ) {
                    if (received.addAndGet(n) >= 256 * 1024) {
                        nodeHasFirstPart.countDown();
                    }
                }
            }
            answer(x, 200, "{\"bytes\":" + received.get() + "}");
        });
        AtomicLong sentBeforeTheNodeSawAnything = new AtomicLong(-1);
        InputStream body = new Generated(BODY, MB, () -> {
            sentBeforeTheNodeSawAnything.set(MB);
            if (!nodeHasFirstPart.await(20, TimeUnit.SECONDS)) {
                throw new IOException("the node got nothing of the first MB within 20 s: the proxy holds the body");
            }
        });
        HttpRequest request = HttpRequest.newBuilder(frontend.resolve("/upload"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                        BODY)).build();

        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"bytes\":" + BODY + "}", r.body(), "the whole body, once");
        assertEquals(MB, sentBeforeTheNodeSawAnything.get(), "the client paused after 1 MB");
    }

    @Test
    void aTwentyMegabyteResponseReachesTheClientWhileTheNodeIsStillWritingIt() throws Exception {
        start(ROOMY);
        CountDownLatch clientHasFirstPart = new CountDownLatch(1);
        node.createContext("/download", x -> {
            x.getResponseHeaders().add("Content-Type", "application/octet-stream");
            x.sendResponseHeaders(200, BODY);
            try (OutputStream out = x.getResponseBody();
                 InputStream data = new Generated(BODY, MB, () -> {
                     if (!clientHasFirstPart.await(20, TimeUnit.SECONDS)) {
                         throw new IOException("the client got nothing of the first MB within 20 s");
                     }
                 })) {
                data.transferTo(out);
            }
        });
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(frontend.resolve("/download")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertEquals(String.valueOf(BODY), r.headers().firstValue("content-length").orElseThrow(),
                "the node's length is passed on");
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                total += n;
                if (total >= 256 * 1024) {
                    clientHasFirstPart.countDown();
                }
            }
        }
        assertEquals(BODY, total, "the whole body, once");
    }

    @Test
    void aRequestWaitsForItsNodeAsLongAsItsJobsLimitAndAnOrdinaryOneGets504() throws Exception {
        start(ORDINARY);
        CountDownLatch release = new CountDownLatch(1);
        node.createContext("/job", x -> {
            x.getRequestBody().readAllBytes();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(x, 200, "{\"done\":true}");
        });
        CompletableFuture<HttpResponse<String>> job = client.sendAsync(post("/job", "5"),
                HttpResponse.BodyHandlers.ofString());
        long t0 = System.nanoTime();

        HttpResponse<String> ordinary = client.send(post("/job", null), HttpResponse.BodyHandlers.ofString());

        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(504, ordinary.statusCode(), ordinary.body());
        assertTrue(ordinary.body().contains("did not answer within 300 ms"), ordinary.body());
        assertTrue(waited >= 300, "504 after the ordinary timeout, not before: " + waited + " ms");
        assertFalse(job.isDone(), "the job, with its limit of 5 s, still waits after the ordinary timeout");
        release.countDown();
        HttpResponse<String> done = job.get(10, TimeUnit.SECONDS);
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("{\"done\":true}", done.body());
    }

    @Test
    void aLimitThatIsNotAPositiveNumberLeavesTheOrdinaryTimeout() throws Exception {
        start(ORDINARY);
        CountDownLatch release = new CountDownLatch(1);
        node.createContext("/job", x -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(x, 200, "{}");
        });
        try {
            for (String limit : new String[] {"0", "-1", "soon", "1.5"}) {
                HttpResponse<String> r = client.send(post("/job", limit), HttpResponse.BodyHandlers.ofString());
                assertEquals(504, r.statusCode(), limit + ": " + r.body());
            }
        } finally {
            release.countDown();
        }
    }

    private HttpRequest post(String path, String limit) {
        HttpRequest.Builder b = HttpRequest.newBuilder(frontend.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"i\":1}"));
        if (limit != null) {
            b.header("X-CMS-Timeout-Seconds", limit);
        }
        return b.build();
    }

    private static void answer(HttpExchange x, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(body);
        }
    }

    /** What to do once, after the first part of a body is out. */
    private interface Pause {
        void run() throws IOException, InterruptedException;
    }

    /** {@code length} bytes made on the fly, with a pause after the first {@code pauseAt}: never held whole. */
    private static final class Generated extends InputStream {

        private final long length;
        private final long pauseAt;
        private final Pause pause;
        private long position;
        private boolean paused;

        Generated(long length, long pauseAt, Pause pause) {
            this.length = length;
            this.pauseAt = pauseAt;
            this.pause = pause;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position == pauseAt && !paused) {
                paused = true;
                try {
                    pause.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            if (position >= length) {
                return -1;
            }
            long until = position < pauseAt ? pauseAt : length;
            int n = (int) Math.min(len, until - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) (position + i);
            }
            position += n;
            return n;
        }
    }
}
