package cms.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A client of {@code GET /api/stream} (server-sent events) on its own thread: hands each event to a sink
 * as it arrives and counts the comments. Closing it closes the connection.
 */
final class StreamClient implements AutoCloseable {

    /** One event as received: its id, its name (the kind), its data, and when it arrived ({@link System#nanoTime()}). */
    record Event(String id, String name, String data, long receivedNanos) {
    }

    private final HttpURLConnection connection;
    private final Thread thread;
    private final AtomicInteger comments = new AtomicInteger();
    private volatile boolean closed;
    private volatile int status;

    /** Connects to {@code url} (with {@code Last-Event-ID} when {@code lastEventId} is not null) and starts reading. */
    /** Follows {@code url} with {@code token} (null: none) as a bearer token. */
    StreamClient(String url, String token, String lastEventId, Consumer<Event> sink) throws IOException {
        connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setRequestProperty("Accept", "text/event-stream");
        if (token != null) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        if (lastEventId != null) {
            connection.setRequestProperty("Last-Event-ID", lastEventId);
        }
        connection.setConnectTimeout(5_000);
        status = connection.getResponseCode();
        if (status != 200) {
            connection.disconnect();
            throw new IOException("GET " + url + ": HTTP " + status);
        }
        thread = new Thread(() -> read(sink), "stream-client");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(Consumer<Event> sink) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.UTF_8))) {
            String id = null;
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        sink.accept(new Event(id, name, data.toString(), System.nanoTime()));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            if (!closed) {
                System.err.println("stream: " + e);
            }
        }
    }

    int comments() {
        return comments.get();
    }

    /** Whether the server ended the stream (or the connection broke) while this client was still open. */
    boolean ended() {
        return !thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        connection.disconnect();
        thread.join(5_000);
    }
}
