package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for the admin API in integration tests: every call answers status, body and parsed JSON. */
final class JsonHttp {

    /** One answer of the API; {@code json} is null when the body is not JSON. */
    record Response(int status, String body, JsonNode json, HttpHeaders headers) {

        /** The first value of a response header, or null. */
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String text(String field) {
            JsonNode n = json == null ? null : json.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        JsonNode data() {
            return json == null ? null : json.get("data");
        }

        /** For a health answer: each loop it lists, by name, with its state ("RUNNING", or "RUNNING, down"). */
        java.util.Map<String, String> loops() {
            java.util.Map<String, String> out = new java.util.TreeMap<>();
            if (json != null) {
                json.path("loops").forEach(l -> out.put(l.path("loop").asText(), l.path("state").asText()
                        + (l.path("up").asBoolean() ? "" : ", down")));
            }
            return out;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    /** A client of the API at {@code base} sending {@code token} as a bearer token (null: none, anonymous). */
    JsonHttp(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same API with another token (null: none). */
    JsonHttp as(String otherToken) {
        return new JsonHttp(base, otherToken);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body);
    }

    Response put(String path, String body) {
        return send("PUT", path, body);
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    Response send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), parse(r.body()), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : MAPPER.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
