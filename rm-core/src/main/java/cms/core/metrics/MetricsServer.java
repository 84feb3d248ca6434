package cms.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A small HTTP listener that answers {@code GET /metrics} with a scrape, for the services that have no HTTP server of
 * their own (the JDK's server: no dependency). Anything else is a 404, another method a 405.
 */
public final class MetricsServer implements AutoCloseable {

    /** The Prometheus text format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final String url;

    private MetricsServer(HttpServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Listens on {@code host:port} (0: a free port); a port that cannot be had is an {@link UncheckedIOException}. */
    public static MetricsServer start(String host, int port, Supplier<String> scrape) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> answer(exchange, scrape));
        server.start();
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return new MetricsServer(server, "http://" + shown + ":" + server.getAddress().getPort() + "/metrics");
    }

    private static void answer(HttpExchange exchange, Supplier<String> scrape) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: only /metrics is here\n");
            } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
            } else {
                send(exchange, 200, CONTENT_TYPE, scrape.get());
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** {@code http://host:port/metrics}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
