package cms.balancer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Passing one HTTP request on from a Jetty handler to a node and its answer back, as the embedded proxy and the
 * activator do: end-to-end headers only, bodies streamed in chunks of {@value #CHUNK} bytes both ways, never held
 * whole; and a clear one-line JSON error where there is no answer to pass on.
 */
public final class HttpRelay {

    public static final int CHUNK = 64 * 1024;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host", "content-length", "expect");

    private HttpRelay() {
    }

    /** The request as it goes to {@code address:port}: method, path, query and end-to-end headers, body streamed. */
    public static HttpRequest forward(Request request, String address, int port, RequestBody body, Duration timeout) {
        String query = request.getHttpURI().getQuery();
        URI target = URI.create("http://" + address + ":" + port + request.getHttpURI().getPath()
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
    public static void relay(Response response, Callback callback, HttpResponse<InputStream> r) {
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

    /** Answers {@code status} with {@code {"error": message}}. */
    public static void error(Response response, Callback callback, int status, String message) {
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
    public static final class RequestBody {

        private final Request request;
        private final long length;
        private final boolean chunked;
        private volatile boolean started;

        public RequestBody(Request request) {
            this.request = request;
            this.length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            this.chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        }

        public HttpRequest.BodyPublisher publisher() {
            if (length <= 0 && !chunked) {
                return HttpRequest.BodyPublishers.noBody();
            }
            HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
                started = true;
                return Content.Source.asInputStream(request);
            });
            return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
        }

        public boolean started() {
            return started;
        }
    }
}
