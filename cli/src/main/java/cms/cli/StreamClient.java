package cms.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A client of {@code GET /api/stream} (server-sent events) on its own thread: hands each event to a sink
 * as it arrives and counts the comments; says when the stream ended and why.
 *
 * <p>The JDK's HTTP/1.1 connection holds a lock while its thread waits for the next bytes, and closing it takes that
 * lock: a close from another thread waits for the server's next event or keep-alive (15 s by default). So a sink that
 * has what it waited for says so and the reading thread closes the connection itself, at once; {@link #close()} from
 * another thread hands the closing to a thread of its own and returns. (A JVM that exits while the reading thread
 * still waits in the socket waits up to 0.3 s for it: what a command that ends on its sink's word avoids.)
 */
final class StreamClient implements AutoCloseable {

    /** One event as received: its id, its name (the kind), its data, and when it arrived ({@link System#nanoTime()}). */
    record Event(String id, String name, String data, long receivedNanos) {
    }

    /** The server answered the request for a stream with another status than 200: the status and the answer's text. */
    static final class RefusedException extends IOException {
        private final int status;
        private final String body;

        RefusedException(String url, int status, String body) {
            super("GET " + url + ": HTTP " + status);
            this.status = status;
            this.body = body;
        }

        int status() {
            return status;
        }

        String body() {
            return body;
        }
    }

    private final HttpURLConnection connection;
    private final Thread thread;
    private final AtomicInteger comments = new AtomicInteger();
    private final CountDownLatch greeted = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile String endReason;

    /** Follows {@code url} with {@code token} (null: none) as a bearer token (see the constructor below). */
    StreamClient(String url, String token, String lastEventId, Consumer<Event> sink) throws IOException {
        this(url, token, lastEventId, e -> {
            sink.accept(e);
            return true;
        }, () -> { });
    }

    /**
     * Connects to {@code url} (with {@code Last-Event-ID} when {@code lastEventId} is not null) and starts reading,
     * handing each event to {@code sink} on the reading thread until it answers false (then the reading thread closes
     * the connection and ends); {@code onEnd} runs on the reading thread when the stream ends otherwise while this
     * client is open (the server ended it, or the connection broke: {@link #endReason()}).
     *
     * @throws RefusedException when the server answers with another status than 200
     * @throws IOException when it cannot be reached
     */
    StreamClient(String url, String token, String lastEventId, Predicate<Event> sink, Runnable onEnd)
            throws IOException {
        connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestProperty("Accept", "text/event-stream");
        if (token != null) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            connection.setRequestProperty("Last-Event-ID", lastEventId);
        }
        connection.setConnectTimeout(5_000);
        int status = connection.getResponseCode();
        if (status != 200) {
            String body;
            try (InputStream err = connection.getErrorStream()) {
                body = err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8);
            }
            connection.disconnect();
            throw new RefusedException(url, status, body);
        }
        thread = new Thread(() -> read(sink, onEnd), "stream-client");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(Predicate<Event> sink, Runnable onEnd) {
        boolean[] enough = new boolean[1];
        try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.UTF_8))) {
            SseReader.read(in, new SseReader.Listener() {
                @Override
                public boolean event(String id, String name, String data) {
                    enough[0] = !sink.test(new Event(id, name, data, System.nanoTime()));
                    return !enough[0];
                }

                @Override
                public void comment(String text) {
                    comments.incrementAndGet();
                    greeted.countDown();
                }
            });
            endReason = enough[0] ? "the client had what it waited for" : "the server ended the stream";
        } catch (IOException e) {
            endReason = e.toString();
        }
        greeted.countDown(); // no greeting will come
        if (!closed && !enough[0]) {
            onEnd.run();
        }
    }

    int comments() {
        return comments.get();
    }

    /**
     * Waits at most {@code atMost} for the server's first comment, which it sends once it has subscribed this client:
     * what happens after that reaches the client. False when none came in time (or the stream ended first).
     */
    boolean awaitGreeting(Duration atMost) throws InterruptedException {
        return greeted.await(atMost.toMillis(), TimeUnit.MILLISECONDS) && comments() > 0;
    }

    /** Whether the server ended the stream (or the connection broke) while this client was still open. */
    boolean ended() {
        return !thread.isAlive();
    }

    /** Why the stream ended (null while it goes on). */
    String endReason() {
        return endReason;
    }

    /** Closes the connection, now when its thread has ended, else on a thread of its own (see above); never waits. */
    @Override
    public void close() {
        closed = true;
        if (thread.isAlive()) {
            Thread closing = new Thread(connection::disconnect, "stream-client-close");
            closing.setDaemon(true);
            closing.start();
        }
    }
}
