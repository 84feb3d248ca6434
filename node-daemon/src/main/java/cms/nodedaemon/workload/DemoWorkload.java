package cms.nodedaemon.workload;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The built-in demo workloads as one small HTTP/1.1 server that uses only the JDK, so that it runs in a
 * container with nothing but a JRE, or as a local process. {@code light} answers at once; {@code medium}
 * and {@code heavy} burn about 50 ms and 500 ms of one core's CPU time per request (set with
 * {@code WORKLOAD_CPU_MS}). Paths: {@code GET /health}, {@code GET /} (the original client's request)
 * and {@code POST /job} (body in, result out; a body {@code {"fail":"why"}} is refused with 422, and
 * {@code {"sleep_ms":N}} answers after waiting N ms besides, at most an hour: a long job;
 * {@code {"answer_bytes":N}} pads the answer with N characters, at most 16 MiB: a huge answer); every
 * answer names the node that served it, in its body and in the {@code X-CMS-Node} header.
 *
 * <p>Each response goes out in one write, headers and body together: a node killed in the middle of
 * its work leaves its load balancer either a whole answer or none (which it can retry elsewhere),
 * never half of one. Settings from the environment: {@code NODE_NAME}, {@code WORKLOAD_KIND},
 * {@code PORT} (0 picks a free port), {@code BIND} (default 0.0.0.0), {@code WORKLOAD_CPU_MS}. It prints
 * {@code cms-workload <node> listening on <address>:<port>} once it accepts connections.
 */
public final class DemoWorkload {

    public static final String READY_PREFIX = "cms-workload ";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private final String node;
    private final String kind;
    private final long cpuNanos;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newFixedThreadPool(64);

    DemoWorkload(String node, String kind, long cpuMillis, String bind, int port) throws IOException {
        this.node = node;
        this.kind = kind;
        this.cpuNanos = cpuMillis * 1_000_000L;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(bind), port), 256);
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
        InetSocketAddress at = w.start();
        System.out.println(READY_PREFIX + w.node + " listening on " + at.getHostString() + ":" + at.getPort());
        System.out.flush();
    }

    /** Starts accepting connections; returns where it listens. */
    InetSocketAddress start() {
        Thread acceptor = new Thread(this::accept, "workload-accept");
        acceptor.start();
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Stops accepting; requests in flight end with their connections. */
    void stop() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        pool.shutdownNow();
    }

    private record Request(String method, String path, byte[] body, boolean keepAlive) {
    }

    private void serve(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (true) {
                Request r = read(in);
                if (r == null) {
                    return;
                }
                out.write(respond(r));
                out.flush();
                if (!r.keepAlive()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or sent what is not HTTP: drop the connection
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("request head too large");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        int length = 0;
        boolean keepAlive = first.length > 2 && first[2].equals("HTTP/1.1");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].toLowerCase(Locale.ROOT);
            if (line.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            } else if (line.startsWith("connection:")) {
                keepAlive = !line.contains("close") && (keepAlive || line.contains("keep-alive"));
            }
        }
        if (length < 0 || length > MAX_BODY_BYTES) {
            throw new IOException("body too large");
        }
        byte[] body = in.readNBytes(length);
        String path = first.length > 1 ? first[1] : "/";
        int q = path.indexOf('?');
        return new Request(first[0], q < 0 ? path : path.substring(0, q), body, keepAlive);
    }

    private byte[] respond(Request r) {
        long t0 = System.nanoTime();
        int status = 200;
        String json;
        String why = r.path().equals("/job") && r.method().equals("POST") ? failRequested(r.body()) : null;
        if (r.path().equals("/health")) {
            json = "{\"status\":\"UP\",\"node\":\"" + node + "\",\"kind\":\"" + kind + "\"}";
        } else if (r.path().equals("/job")) {
            if (!r.method().equals("POST")) {
                status = 405;
                json = "{\"error\":\"POST a job body to /job\"}";
            } else if (why != null) {
                status = 422;
                json = "{\"error\":\"" + why + "\",\"node\":\"" + node + "\"}";
            } else {
                waitFor(sleepRequested(r.body()));
                String digest = burn(r.body());
                json = String.format(Locale.ROOT,
                        "{\"node\":\"%s\",\"kind\":\"%s\",\"input_bytes\":%d,\"sha256\":\"%s\",\"millis\":%.1f%s}", node,
                        kind, r.body().length, digest, (System.nanoTime() - t0) / 1e6,
                        padding(paddingRequested(r.body())));
            }
        } else {
            burn(new byte[0]);
            json = String.format(Locale.ROOT, "{\"node\":\"%s\",\"kind\":\"%s\",\"millis\":%.1f}", node, kind,
                    (System.nanoTime() - t0) / 1e6);
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String reason = status == 200 ? "OK" : status == 422 ? "Unprocessable Content" : "Method Not Allowed";
        byte[] head = ("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nX-CMS-Node: " + node
                + "\r\nContent-Length: " + body.length + "\r\n" + (r.keepAlive() ? "" : "Connection: close\r\n") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /**
     * A job whose body is a JSON object with a string field {@code "fail"} is refused with that message
     * (422; a message of at most 200 characters without quotes or backslashes): the way to see a job fail in the workload itself. A plain text search, since the workload
     * has no JSON library; returns null for any other body.
     */
    static String failRequested(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = FAIL.matcher(text);
        return text.startsWith("{") && m.find() ? m.group(1) : null;
    }

    /**
     * How long a job asks to take besides its CPU work: its body's {@code "sleep_ms"} (a whole number),
     * at most {@value #MAX_SLEEP_MS} ms; 0 for any other body.
     */
    static long sleepRequested(byte[] body) {
        return wholeNumber(body, SLEEP, MAX_SLEEP_MS);
    }

    /** A whole-number field of a JSON object body found by {@code field}, at most {@code max}; 0 when absent. */
    private static long wholeNumber(byte[] body, java.util.regex.Pattern field, long max) {
        String text = new String(body, StandardCharsets.UTF_8);
        java.util.regex.Matcher m = field.matcher(text);
        return text.startsWith("{") && m.find() ? Math.min(Long.parseLong(m.group(1)), max) : 0;
    }

    /**
     * How large an answer a job asks for: its body's {@code "answer_bytes"} (a whole number) adds a
     * {@code "padding"} field of that many characters, at most {@value #MAX_PADDING} (the way to see what
     * CMS does with a workload's huge answer); 0 for any other body.
     */
    static int paddingRequested(byte[] body) {
        return (int) wholeNumber(body, PADDING, MAX_PADDING);
    }

    private static String padding(int chars) {
        return chars == 0 ? "" : ",\"padding\":\"" + "x".repeat(chars) + "\"";
    }

    private static final int MAX_PADDING = 16 * 1024 * 1024;
    private static final java.util.regex.Pattern PADDING =
            java.util.regex.Pattern.compile("\"answer_bytes\"\\s*:\\s*([0-9]{1,10})(?![0-9.])");

    private static final long MAX_SLEEP_MS = 3_600_000;
    private static final java.util.regex.Pattern SLEEP =
            java.util.regex.Pattern.compile("\"sleep_ms\"\\s*:\\s*([0-9]{1,10})(?![0-9.])");

    /** A long job's wait: the work a real workload would spend that time on. */
    private static void waitFor(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final java.util.regex.Pattern FAIL =
            java.util.regex.Pattern.compile("\"fail\"\\s*:\\s*\"([^\"\\\\]{0,200})\"");

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
}
