package cms.balancer.embedded;

import cms.balancer.BackendPool;
import cms.balancer.PoolException;
import cms.balancer.PoolSpec;
import cms.balancer.PoolStats;
import cms.balancer.model.Slot;
import cms.balancer.model.SlotStep;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * One pod's embedded reverse proxy: a Jetty server on the pod's port that sends each request to the
 * next serving slot in turn (round robin), retries a failed GET or HEAD on another slot up to three
 * times (any method when the connection could not even be made), and answers 503 with a clear body
 * when no slot serves. It keeps the same counters as HAProxy and the last 1024 response times.
 */
final class EmbeddedPool implements BackendPool {

    private static final int RETRIES = 3;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host", "content-length", "expect");

    final PoolSpec spec;
    final EmbeddedSlot[] slots;
    private final Server server;
    private final HttpClient client;
    private int cursor;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final double[] times = new double[1024];
    private long timed;

    EmbeddedPool(PoolSpec spec, HttpClient client) throws PoolException {
        this.spec = spec;
        this.client = client;
        this.slots = new EmbeddedSlot[spec.slots()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new EmbeddedSlot("s" + (i + 1));
        }
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(spec.bindAddress());
        connector.setPort(spec.port());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                proxy(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            stop();
            throw new PoolException("pod " + spec.pod() + ": cannot listen on " + spec.bindAddress() + ":" + spec.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The next serving slot in turn (strict round robin), skipping those already tried for this request. */
    private synchronized EmbeddedSlot pick(Set<EmbeddedSlot> tried) {
        for (int i = 0; i < slots.length; i++) {
            EmbeddedSlot s = slots[(cursor + i) % slots.length];
            if (s.serving() && !tried.contains(s)) {
                cursor = (cursor + i + 1) % slots.length;
                return s;
            }
        }
        return null;
    }

    private void proxy(Request request, Response response, Callback callback) throws IOException {
        requests.incrementAndGet();
        long t0 = System.nanoTime();
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = in.readAllBytes();
        }
        String method = request.getMethod();
        boolean idempotent = method.equals("GET") || method.equals("HEAD");
        Set<EmbeddedSlot> tried = new java.util.HashSet<>();
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            EmbeddedSlot slot = pick(tried);
            if (slot == null) {
                break;
            }
            tried.add(slot);
            slot.sessions.incrementAndGet();
            try {
                HttpResponse<byte[]> r = client.send(forward(request, slot, body), HttpResponse.BodyHandlers.ofByteArray());
                slot.responses.incrementAndGet();
                if (r.statusCode() >= 500) {
                    slot.errors.incrementAndGet();
                    if (idempotent && r.statusCode() != 501 && attempt < RETRIES) {
                        continue;
                    }
                }
                answer(response, callback, r, t0);
                return;
            } catch (IOException e) {
                slot.errors.incrementAndGet();
                boolean notSent = e instanceof ConnectException || e.getCause() instanceof ConnectException;
                if (!idempotent && !notSent) {
                    fail(response, callback, 502, "node " + slot.address + ":" + slot.port + " failed: " + e);
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(response, callback, 503, "interrupted");
                return;
            } finally {
                slot.sessions.decrementAndGet();
            }
        }
        fail(response, callback, 503, "pod " + spec.pod() + " has no node in service: it is paused, or none of its "
                + "nodes is ONLINE");
    }

    private HttpRequest forward(Request request, EmbeddedSlot slot, byte[] body) {
        String query = request.getHttpURI().getQuery();
        URI target = URI.create("http://" + slot.address + ":" + slot.port + request.getHttpURI().getPath()
                + (query == null ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                .method(request.getMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        request.getHeaders().forEach(f -> {
            if (!HOP_BY_HOP.contains(f.getLowerCaseName())) {
                b.header(f.getName(), f.getValue());
            }
        });
        return b.build();
    }

    private void answer(Response response, Callback callback, HttpResponse<byte[]> r, long t0) {
        response.setStatus(r.statusCode());
        r.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> response.getHeaders().add(name, v));
            }
        });
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, r.body().length);
        record((System.nanoTime() - t0) / 1e6);
        response.write(true, ByteBuffer.wrap(r.body()), callback);
    }

    private void fail(Response response, Callback callback, int status, String message) {
        errors.incrementAndGet();
        byte[] json = ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    private synchronized void record(double millis) {
        times[(int) (timed++ % times.length)] = millis;
    }

    @Override
    public List<Slot> slots() {
        List<Slot> out = new ArrayList<>();
        for (EmbeddedSlot s : slots) {
            out.add(s.view());
        }
        return out;
    }

    @Override
    public void apply(SlotStep step) throws PoolException {
        if (step instanceof SlotStep.Assign a) {
            slot(a.slot()).assign(a.address(), a.port());
        } else if (step instanceof SlotStep.Promote p) {
            slot(p.slot()).weight = 1;
        } else if (step instanceof SlotStep.Ready r) {
            slot(r.slot()).admin = Slot.Admin.READY;
        } else if (step instanceof SlotStep.Drain d) {
            slot(d.slot()).admin = Slot.Admin.DRAIN;
        } else if (step instanceof SlotStep.Free f) {
            slot(f.slot()).admin = Slot.Admin.MAINT;
        }
    }

    private EmbeddedSlot slot(String name) throws PoolException {
        for (EmbeddedSlot s : slots) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new PoolException("pod " + spec.pod() + " has no slot " + name);
    }

    @Override
    public synchronized PoolStats stats() {
        int n = (int) Math.min(timed, times.length);
        double[] sorted = Arrays.copyOf(times, n);
        Arrays.sort(sorted);
        Double mean = n == 0 ? null : Arrays.stream(sorted).average().orElse(0);
        List<PoolStats.ServerStats> servers = new ArrayList<>();
        int sessions = 0;
        for (EmbeddedSlot s : slots) {
            sessions += s.sessions.get();
            if (s.admin != Slot.Admin.MAINT) {
                servers.add(new PoolStats.ServerStats(s.name, s.address + ":" + s.port, s.status(), s.responses.get(),
                        s.errors.get(), s.sessions.get(), 0, mean == null ? 0 : mean));
            }
        }
        return new PoolStats(requests.get(), errors.get(), sessions, 0, mean, pct(sorted, 50), pct(sorted, 95),
                pct(sorted, 99), servers);
    }

    private static Double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    @Override
    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }
}
