package cms.rm.service;

import cms.core.config.NetAddress;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dispatcher's HTTP/1.1 client: each call a blocking POST on a thread of its own, over a connection kept alive
 * for the next call to the same frontend. A profile at 1 500 jobs/s had the JDK's asynchronous client (a selector
 * thread and a hand-off between threads at each step of every call) at 15 % of {@code cms dev}'s CPU. A call is never
 * sent twice: a connection that breaks fails its call, which the job's book retries as a new attempt, as before. A
 * kept connection is looked at before it is used again (one read that does not wait): one the frontend closed (HAProxy
 * closes idle ones when it reloads, and after its client timeout, 30 s) is dropped, as is one idle for longer than
 * {@link #IDLE}. {@link Call#cancel()} closes the call's connection, which ends it at once.
 */
final class FrontendCalls implements AutoCloseable {

    /** The longest a kept connection waits idle for its next call. */
    static final Duration IDLE = Duration.ofSeconds(10);
    static final int CONNECT_TIMEOUT_MS = 2_000;

    /** What became of a call: an answer, or the reason there is none. */
    interface Done {
        void answered(HttpAnswer answer);

        void failed(IOException error, boolean timedOut);
    }

    /** A POST: where, its headers (besides Host, Content-Length, Connection) and body, and its whole time limit. */
    record Post(String host, int port, String path, Map<String, String> headers, byte[] body, Duration timeout) {
    }

    /** A call under way; cancelling it closes its connection (until the call gives the connection back). */
    static final class Call {
        private Socket socket;
        private boolean cancelled;

        synchronized void cancel() {
            cancelled = true;
            closeQuietly(socket);
        }

        synchronized boolean cancelled() {
            return cancelled;
        }

        /** The call uses {@code s}; false (and {@code s} closed) if it was cancelled already. */
        synchronized boolean use(Socket s) {
            socket = s;
            if (cancelled) {
                closeQuietly(s);
            }
            return !cancelled;
        }

        /** The call is done with its connection: a cancel from now on closes nothing; false if it was cancelled. */
        synchronized boolean release() {
            socket = null;
            return !cancelled;
        }
    }

    /** A connection: its socket, the socket's input bounded by the call's time limit, buffered above that. */
    private record Kept(Socket socket, DeadlineStream timed, InputStream in, long idleSince) {
        Kept idleFrom(long now) {
            return new Kept(socket, timed, in, now);
        }
    }

    private final int maxResultBytes;
    private final Map<String, ArrayDeque<Kept>> idle = new HashMap<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cms-rm-call-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    FrontendCalls(int maxResultBytes) {
        this.maxResultBytes = maxResultBytes;
    }

    /** Starts the call on a thread of its own; {@code done} is told its end (unless it was cancelled). */
    Call send(Post post, Done done) {
        Call call = new Call();
        pool.execute(() -> run(call, post, done));
        return call;
    }

    private void run(Call call, Post post, Done done) {
        long deadline = System.nanoTime() + post.timeout().toNanos();
        String key = post.host() + ":" + post.port();
        Kept conn = null;
        try {
            conn = take(key);
            if (conn == null) {
                conn = connect(post);
            }
            if (!call.use(conn.socket())) {
                return;
            }
            write(conn.socket().getOutputStream(), post);
            conn.timed().until(deadline);
            HttpAnswer answer = HttpAnswer.read(conn.in(), maxResultBytes);
            boolean wanted = call.release();
            if (answer.reusable() && wanted) {
                give(key, conn.idleFrom(System.nanoTime()));
            } else {
                closeQuietly(conn.socket());
            }
            if (wanted) {
                done.answered(answer);
            }
        } catch (IOException e) {
            if (conn != null) {
                closeQuietly(conn.socket());
            }
            if (!call.cancelled()) {
                done.failed(e, e instanceof SocketTimeoutException && System.nanoTime() - deadline >= 0);
            }
        }
    }

    private static Kept connect(Post post) throws IOException {
        Socket s = SocketChannel.open().socket(); // a channel's socket: its liveness can be read without waiting
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(post.host(), post.port()), CONNECT_TIMEOUT_MS);
            DeadlineStream timed = new DeadlineStream(s.getInputStream(), s);
            return new Kept(s, timed, new BufferedInputStream(timed, 8192), System.nanoTime());
        } catch (IOException e) {
            closeQuietly(s);
            throw e;
        }
    }

    private static void write(OutputStream out, Post post) throws IOException {
        StringBuilder head = new StringBuilder(256).append("POST ").append(post.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(NetAddress.forUrl(post.host())).append(':')
                .append(post.port()).append("\r\nContent-Length: ").append(post.body().length).append("\r\n");
        post.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(head.length() + post.body().length);
        bytes.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        bytes.write(post.body());
        bytes.writeTo(out);
        out.flush();
    }

    static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime() + 999_999L) / 1_000_000L; // rounded up: a timeout fires at the limit
        if (left <= 0) {
            throw new SocketTimeoutException("the call's time limit passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private synchronized Kept take(String key) {
        ArrayDeque<Kept> q = idle.get(key);
        long now = System.nanoTime();
        while (q != null && !q.isEmpty()) {
            Kept k = q.pollLast(); // the most recently used: the least likely to have been closed meanwhile
            if (now - k.idleSince() < IDLE.toNanos() && open(k)) {
                return k;
            }
            closeQuietly(k.socket());
        }
        return null;
    }

    /** Whether a kept connection is still open and has nothing unasked for to read (a read that does not wait). */
    private static boolean open(Kept k) {
        SocketChannel ch = k.socket().getChannel();
        try {
            if (k.in().available() > 0) {
                return false;
            }
            ch.configureBlocking(false);
            int n = ch.read(ByteBuffer.allocate(1));
            ch.configureBlocking(true);
            return n == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized void give(String key, Kept k) {
        idle.computeIfAbsent(key, x -> new ArrayDeque<>()).addLast(k);
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing: nothing to do
            }
        }
    }

    /** Stops every call under way and closes the kept connections. */
    @Override
    public void close() {
        pool.shutdownNow();
        synchronized (this) {
            idle.values().forEach(q -> q.forEach(k -> closeQuietly(k.socket())));
            idle.clear();
        }
    }

    /**
     * The socket's input under its buffer: each read from the socket (a buffer's refill) waits at most what is left of
     * the current call's time limit.
     */
    private static final class DeadlineStream extends InputStream {
        private final InputStream in;
        private final Socket socket;
        /** Set by each call before it reads (until then a read times out at once). */
        private long deadline = System.nanoTime();

        DeadlineStream(InputStream in, Socket socket) {
            this.in = in;
            this.socket = socket;
        }

        /** The time limit of the call now using the connection (System.nanoTime). */
        void until(long nanos) {
            deadline = nanos;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
