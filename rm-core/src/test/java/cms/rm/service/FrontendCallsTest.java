package cms.rm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's client against a real HTTP server on loopback: calls one after another share a connection, the
 * job's headers and body arrive, a call over its time limit times out, a cancelled call is never told, and a
 * frontend that is not there is a refused connection.
 */
class FrontendCallsTest {

    private HttpServer server;
    private final Set<String> peers = ConcurrentHashMap.newKeySet();
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final FrontendCalls calls = new FrontendCalls(1024);

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/job", ex -> {
            peers.add(ex.getRemoteAddress().toString());
            seen.put("job", ex.getRequestHeaders().getFirst("X-CMS-Job"));
            seen.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] out = "{\"done\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-CMS-Node", "n1");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            arrived.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        calls.close();
        server.stop(0);
    }

    private FrontendCalls.Post post(int port, String path, Duration timeout) {
        return new FrontendCalls.Post("127.0.0.1", port, path, Map.of("X-CMS-Job", "j1",
                "Content-Type", "application/json"), "{\"n\":1}".getBytes(StandardCharsets.UTF_8), timeout);
    }

    /** Sends and waits for the end: the answer, or the error and whether it was the time limit. */
    private Object call(FrontendCalls.Post p) throws InterruptedException {
        AtomicReference<Object> end = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        calls.send(p, new FrontendCalls.Done() {
            @Override
            public void answered(HttpAnswer answer) {
                end.set(answer);
                done.countDown();
            }

            @Override
            public void failed(IOException error, boolean timedOut) {
                end.set(timedOut ? "timed out" : error);
                done.countDown();
            }
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "the call ended");
        return end.get();
    }

    @Test
    void callsOneAfterAnotherShareOneConnection() throws Exception {
        int port = server.getAddress().getPort();
        for (int i = 0; i < 5; i++) {
            HttpAnswer a = (HttpAnswer) call(post(port, "/job", Duration.ofSeconds(5)));
            assertEquals(200, a.status());
            assertEquals("{\"done\":true}", new String(a.kept(), StandardCharsets.UTF_8));
            assertEquals("n1", a.headers().get("x-cms-node"));
        }
        assertEquals("j1", seen.get("job"));
        assertEquals("{\"n\":1}", seen.get("body"));
        assertEquals(1, peers.size(), "one kept-alive connection: " + peers);
    }

    @Test
    void aKeptConnectionTheFrontendClosedIsNotUsedAgain() throws Exception {
        int port = server.getAddress().getPort();
        assertEquals(200, ((HttpAnswer) call(post(port, "/job", Duration.ofSeconds(5)))).status());
        server.stop(0); // closes the kept connection
        HttpServer again = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        again.createContext("/job", ex -> {
            ex.sendResponseHeaders(202, -1);
            ex.close();
        });
        again.start();
        try {
            Object end = call(post(port, "/job", Duration.ofSeconds(5)));
            assertTrue(end instanceof HttpAnswer a && a.status() == 202, "the first call after: " + end);
        } finally {
            again.stop(0);
        }
    }

    @Test
    void aCallOverItsTimeLimitTimesOut() throws Exception {
        assertEquals("timed out", call(post(server.getAddress().getPort(), "/slow", Duration.ofMillis(300))));
    }

    @Test
    void aCancelledCallIsNeverTold() throws Exception {
        CountDownLatch told = new CountDownLatch(1);
        FrontendCalls.Call c = calls.send(post(server.getAddress().getPort(), "/slow", Duration.ofSeconds(20)),
                new FrontendCalls.Done() {
                    @Override
                    public void answered(HttpAnswer answer) {
                        told.countDown();
                    }

                    @Override
                    public void failed(IOException error, boolean timedOut) {
                        told.countDown();
                    }
                });
        assertTrue(arrived.await(5, TimeUnit.SECONDS), "the call reached the server");
        c.cancel();
        release.countDown();
        assertFalse(told.await(500, TimeUnit.MILLISECONDS), "a cancelled call is not reported");
    }

    @Test
    void aFrontendThatIsNotThereRefusesTheConnection() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertTrue(call(post(port, "/job", Duration.ofSeconds(5))) instanceof ConnectException);
    }
}
