package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.JobEvent;
import cms.web.ApiJson;
import cms.web.model.Kind;
import cms.web.model.LiveEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cloud job wait} against a fake API that serves a job and its pod's stream: it asks nothing more of the API
 * until the stream brings the job's end, then asks once; without a stream it waits on the API's long-poll.
 */
class JobWaitTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    /** How the web writes a streamed event: the API's snake_case. */
    private final ApiJson api = new ApiJson(new EventCodec());
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch end = new CountDownLatch(1);
    /** Counted down when the test is over: the stream stays open until then, as the web's does. */
    private final CountDownLatch over = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private HttpServer server;
    private volatile String status = "QUEUED";
    private volatile boolean streams = true;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/api/jobs/j1", this::job);
        server.createContext("/api/stream", this::stream);
        server.start();
    }

    @AfterEach
    void stop() {
        over.countDown();
        end.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    private void job(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestURI().toString());
        answer(exchange, 200, "{\"job_id\":\"j1\",\"pod\":\"p\",\"status\":\"" + status + "\",\"attempt\":1}");
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The pod's job stream: the greeting, then (once the test ends the job) the event that ends it, then open. */
    private void stream(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestURI().toString());
        if (!streams) {
            answer(exchange, 404, "{\"error\":\"no such route\"}");
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, ": cms live stream b1, 0 events to catch up\n\n");
        try {
            end.await();
            JobEvent.JobSucceeded e = new JobEvent.JobSucceeded("e1", 1, T, "j1", "p", "n1", null, 12);
            String record = api.write(e); // the record in the API's spelling, as the live view keeps it
            write(out, "id: b1.1.1\nevent: jobs\ndata: " + api.write(new LiveEvent(1, Kind.JOBS, "p", 1, e, record))
                    + "\n\n");
            over.await(60, java.util.concurrent.TimeUnit.SECONDS); // open until the test is over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private Future<String> jobWait() {
        return threads.submit(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = CloudCommand.run(new String[]{"--url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "job", "wait", "j1", "--timeout", "30"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(out, true, StandardCharsets.UTF_8), Map.of());
            return exit + "\n" + out.toString(StandardCharsets.UTF_8);
        });
    }

    @Test
    void itAsksNothingUntilTheStreamBringsTheEnd() throws Exception {
        Future<String> wait = jobWait();
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.size() == 3);
        assertEquals(List.of("/api/jobs/j1", "/api/stream?kind=jobs&pod=p", "/api/jobs/j1"), requests,
                "a look, the stream of the job's pod, a look again once it is open");
        status = "SUCCEEDED";
        end.countDown();
        String result = wait.get(10, TimeUnit.SECONDS);
        assertTrue(result.startsWith("0\n"), result);
        assertTrue(result.matches("(?s).*status +SUCCEEDED.*"), result);
        assertEquals(4, requests.size(), requests::toString);
        assertTrue(requests.get(3).startsWith("/api/jobs/j1?wait="), requests::toString);
    }

    @Test
    void anEndedJobIsShownWithoutAStream() throws Exception {
        status = "FAILED";
        String result = jobWait().get(10, TimeUnit.SECONDS);
        assertTrue(result.startsWith("1\n"), result);
        assertEquals(List.of("/api/jobs/j1", "/api/jobs/j1?wait=25"), requests, "a look, then the last answer");
    }

    @Test
    void withoutAStreamTheApiLongPollWaits() throws Exception {
        streams = false;
        Future<String> wait = jobWait();
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.stream().anyMatch(r -> r.contains("?wait=")));
        assertEquals(List.of("/api/jobs/j1", "/api/stream?kind=jobs&pod=p"), requests.subList(0, 2));
        status = "SUCCEEDED";
        String result = wait.get(10, TimeUnit.SECONDS);
        assertTrue(result.startsWith("0\n"), result);
    }
}
