package cms.nodedaemon.workload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The built-in demo workloads as one small HTTP server that uses only the JDK, so that it runs in a
 * container with nothing but a JRE, or as a local process. {@code light} answers at once; {@code medium}
 * and {@code heavy} burn about 50 ms and 500 ms of one core's CPU time per request (set with
 * {@code WORKLOAD_CPU_MS}). Paths: {@code GET /health}, {@code GET /} (the original client's request)
 * and {@code POST /job} (body in, result out); every answer names the node that served it.
 *
 * <p>Settings from the environment: {@code NODE_NAME}, {@code WORKLOAD_KIND}, {@code PORT} (0 picks a
 * free port), {@code BIND} (default 0.0.0.0), {@code WORKLOAD_CPU_MS}. It prints
 * {@code cms-workload <node> listening on <address>:<port>} once it accepts connections.
 */
public final class DemoWorkload {

    public static final String READY_PREFIX = "cms-workload ";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String node;
    private final String kind;
    private final long cpuNanos;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(32);

    DemoWorkload(String node, String kind, long cpuMillis, String bind, int port) throws IOException {
        this.node = node;
        this.kind = kind;
        this.cpuNanos = cpuMillis * 1_000_000L;
        this.server = HttpServer.create(new InetSocketAddress(bind, port), 256);
        server.createContext("/health", this::health);
        server.createContext("/job", this::job);
        server.createContext("/", this::request);
        server.setExecutor(pool);
    }

    /** CPU time per request for each built-in kind, in milliseconds of one core. */
    public static long defaultCpuMillis(String kind) {
        return switch (kind) {
            case "light" -> 0;
            case "medium" -> 50;
            case "heavy" -> 500;
            default -> throw new IllegalArgumentException("unknown workload kind '" + kind
                    + "': light, medium or heavy");
        };
    }

    public static void main(String[] args) throws IOException {
        // the JDK server writes headers and body apart: without TCP_NODELAY a keep-alive client (HAProxy)
        // waits for a delayed ACK (about 40 ms) on every response
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Map<String, String> env = System.getenv();
        String kind = env.getOrDefault("WORKLOAD_KIND", "light");
        String cpu = env.get("WORKLOAD_CPU_MS");
        long cpuMillis = cpu == null || cpu.isBlank() ? defaultCpuMillis(kind) : Long.parseLong(cpu.trim());
        String bind = env.getOrDefault("BIND", "0.0.0.0");
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        DemoWorkload w;
        try {
            w = new DemoWorkload(env.getOrDefault("NODE_NAME", "node"), kind, cpuMillis, bind, port);
        } catch (java.net.BindException e) {
            System.out.println("cms-workload cannot listen on " + bind + ":" + port + ": Address already in use");
            System.exit(3);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(w::stop, "workload-stop"));
        w.server.start();
        InetSocketAddress at = w.server.getAddress();
        System.out.println(READY_PREFIX + w.node + " listening on " + at.getHostString() + ":" + at.getPort());
        System.out.flush();
    }

    /** Stops accepting, lets requests in flight finish for up to one second. */
    void stop() {
        server.stop(1);
        pool.shutdownNow();
    }

    private void health(HttpExchange ex) throws IOException {
        drain(ex);
        reply(ex, 200, "{\"status\":\"UP\",\"node\":\"" + node + "\",\"kind\":\"" + kind + "\"}");
    }

    private void request(HttpExchange ex) throws IOException {
        drain(ex);
        long t0 = System.nanoTime();
        burn(new byte[0]);
        reply(ex, 200, String.format(Locale.ROOT, "{\"node\":\"%s\",\"kind\":\"%s\",\"millis\":%.1f}", node, kind,
                (System.nanoTime() - t0) / 1e6));
    }

    private void job(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            drain(ex);
            reply(ex, 405, "{\"error\":\"POST a job body to /job\"}");
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        long t0 = System.nanoTime();
        String digest = burn(body);
        reply(ex, 200, String.format(Locale.ROOT,
                "{\"node\":\"%s\",\"kind\":\"%s\",\"input_bytes\":%d,\"sha256\":\"%s\",\"millis\":%.1f}", node, kind,
                body.length, digest, (System.nanoTime() - t0) / 1e6));
    }

    /** Hashes the input over and over until this thread has used the kind's CPU time; returns the digest. */
    private String burn(byte[] input) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] digest = sha.digest(input);
        long start = THREADS.getCurrentThreadCpuTime();
        while (THREADS.getCurrentThreadCpuTime() - start < cpuNanos) {
            for (int i = 0; i < 1000; i++) {
                digest = sha.digest(digest);
            }
        }
        return HexFormat.of().formatHex(digest);
    }

    private static void drain(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
