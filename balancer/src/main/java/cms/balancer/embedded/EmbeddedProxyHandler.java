package cms.balancer.embedded;

import cms.core.model.JobTimeLimit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The proxying of one embedded pool: each request goes to the next serving slot in turn; a failed GET
 * or HEAD is retried on another slot up to three times (any method when its connection could not even
 * be made and none of its body went out); 503 with a clear body when no slot serves. Bodies stream in
 * both directions in chunks of {@value #CHUNK} bytes, never held whole. The node has the ordinary server
 * timeout to answer, or the job's own limit when the request brings one in {@value JobTimeLimit#HEADER}
 * (capped at {@value JobTimeLimit#MAX_SECONDS} s); past it a POST gets 504, as from HAProxy.
 */
final class EmbeddedProxyHandler extends Handler.Abstract {

    static final int CHUNK = 64 * 1024;
    private static final int RETRIES = 3;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host", "content-length", "expect");

    private final EmbeddedPool pool;
    private final HttpClient client;
    private final Duration serverTimeout;

    EmbeddedProxyHandler(EmbeddedPool pool, HttpClient client, Duration serverTimeout) {
        this.pool = pool;
        this.client = client;
        this.serverTimeout = serverTimeout;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        pool.requests.incrementAndGet();
        long t0 = System.nanoTime();
        Duration timeout = JobTimeLimit.requested(request.getHeaders().get(JobTimeLimit.HEADER)).orElse(serverTimeout);
        RequestBody body = new RequestBody(request);
        boolean idempotent = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        Set<EmbeddedSlot> tried = new HashSet<>();
        boolean timedOut = false;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            EmbeddedSlot slot = pool.pick(tried);
            if (slot == null) {
                break;
            }
            tried.add(slot);
            slot.sessions.incrementAndGet();
            try {
                HttpResponse<InputStream> r = client.send(forward(request, slot, body, timeout),
                        HttpResponse.BodyHandlers.ofInputStream());
                slot.responses.incrementAndGet();
                if (r.statusCode() >= 500) {
                    slot.errors.incrementAndGet();
                    if (idempotent && r.statusCode() != 501 && attempt < RETRIES) {
                        r.body().close();
                        continue;
                    }
                }
                relay(response, callback, r);
                pool.record((System.nanoTime() - t0) / 1e6);
                return true;
            } catch (IOException e) {
                slot.errors.incrementAndGet();
                timedOut = e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException);
                boolean notSent = !body.started()
                        && (e instanceof ConnectException || e.getCause() instanceof ConnectException
                        || e instanceof HttpConnectTimeoutException);
                if (!idempotent && !notSent) {
                    fail(response, callback, timedOut ? 504 : 502, "node " + slot.address + ":" + slot.port
                            + (timedOut ? " did not answer within " + timeout.toMillis() + " ms" : " failed: " + e));
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(response, callback, 503, "interrupted");
                return true;
            } finally {
                slot.sessions.decrementAndGet();
            }
        }
        if (timedOut) {
            fail(response, callback, 504, "no node of pod " + pool.spec.pod() + " answered within "
                    + timeout.toMillis() + " ms");
        } else {
            fail(response, callback, 503, "pod " + pool.spec.pod() + " has no node in service: it is paused, or none "
                    + "of its nodes is ONLINE");
        }
        return true;
    }

    private static HttpRequest forward(Request request, EmbeddedSlot slot, RequestBody body, Duration timeout) {
        String query = request.getHttpURI().getQuery();
        URI target = URI.create("http://" + slot.address + ":" + slot.port + request.getHttpURI().getPath()
                + (query == null ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout)
                .method(request.getMethod(), body.publisher());
        request.getHeaders().forEach(f -> {
            if (!HOP_BY_HOP.contains(f.getLowerCaseName())) {
                b.header(f.getName(), f.getValue());
            }
        });
        return b.build();
    }

    /**
     * Sends the node's answer on: status and headers (with its length, when it gave one), then the body
     * chunk by chunk as it arrives. A break in the middle aborts the client's response: it sees a broken
     * answer, never a short one that looks whole.
     */
    private static void relay(Response response, Callback callback, HttpResponse<InputStream> r) {
        response.setStatus(r.statusCode());
        r.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> response.getHeaders().add(name, v));
            }
        });
        r.headers().firstValueAsLong("content-length").ifPresent(n -> response.getHeaders()
                .put(HttpHeader.CONTENT_LENGTH, n));
        try (InputStream in = r.body(); OutputStream out = Content.Sink.asOutputStream(response)) {
            byte[] chunk = new byte[CHUNK];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                out.write(chunk, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    private void fail(Response response, Callback callback, int status, String message) {
        pool.errors.incrementAndGet();
        byte[] json = ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, json.length);
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    /**
     * The client's request body, passed on as the node reads it: with its length when the client gave
     * one, chunked when the client sent it chunked, none otherwise. It can be read only once, so an
     * attempt whose body began to go out is not repeated elsewhere.
     */
    private static final class RequestBody {

        private final Request request;
        private final long length;
        private final boolean chunked;
        private volatile boolean started;

        RequestBody(Request request) {
            this.request = request;
            this.length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            this.chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        }

        HttpRequest.BodyPublisher publisher() {
            if (length <= 0 && !chunked) {
                return HttpRequest.BodyPublishers.noBody();
            }
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
                started = true;
                return Content.Source.asInputStream(request);
            });
            return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        }

        boolean started() {
            return started;
        }
    }
}
