package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** The {@code cloud} client's view of the CMS admin API: JSON in, status and JSON out. */
final class ApiClient {

    /** A response of the API: its status and its JSON body. */
    record Response(int status, JsonNode body) {
        boolean ok() {
            return status < 300;
        }

        String message() {
            JsonNode m = body.has("error") ? body.get("error") : body.get("message");
            return m == null ? "HTTP " + status : m.asText();
        }

        JsonNode data() {
            return body.path("data");
        }
    }

    /** The API could not be reached at all. */
    static final class UnreachableException extends Exception {
        UnreachableException(String message) {
            super(message);
        }
    }

    private final String baseUrl;
    private final ObjectMapper mapper;
    private final String token;
    private final HttpClient http;

    /** A client that sends {@code token} (may be null: none) as {@code Authorization: Bearer} on every call. */
    ApiClient(String baseUrl, ObjectMapper mapper, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.mapper = mapper;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.http = PlainHttp.client(this.baseUrl, Duration.ofSeconds(5));
    }

    boolean hasToken() {
        return token != null;
    }

    String baseUrl() {
        return baseUrl;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Response get(String path) throws UnreachableException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /**
     * Every page of a list route, following {@code next}: one response with all the items in {@code data}
     * and the first page's message (which counts the whole list), as the API answered before it paged.
     */
    Response getAll(String path) throws UnreachableException {
        Response first = get(path);
        if (!first.ok() || !first.body().hasNonNull("next") || !first.data().isArray()) {
            return first;
        }
        ObjectNode body = first.body().deepCopy();
        ArrayNode all = (ArrayNode) body.get("data");
        String next = first.body().get("next").asText();
        while (next != null) {
            Response page = get(path + (path.contains("?") ? "&" : "?") + "after=" + segment(next));
            if (!page.ok()) {
                return page;
            }
            all.addAll((ArrayNode) page.data());
            String after = page.body().hasNonNull("next") ? page.body().get("next").asText() : null;
            if (next.equals(after)) {
                throw new UnreachableException("the API answered the page after '" + next + "' with the same cursor");
            }
            next = after;
        }
        body.remove("next");
        return new Response(first.status(), body);
    }

    Response delete(String path) throws UnreachableException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Response post(String path, Map<String, ?> body) throws UnreachableException {
        return send(HttpRequest.newBuilder(uri(path)).POST(json(body)).header("Content-Type", "application/json"));
    }

    Response put(String path, Map<String, ?> body) throws UnreachableException {
        return send(HttpRequest.newBuilder(uri(path)).PUT(json(body)).header("Content-Type", "application/json"));
    }

    private URI uri(String path) throws UnreachableException {
        try {
            return URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new UnreachableException("bad server URL '" + baseUrl + "': " + e.getMessage());
        }
    }

    private HttpRequest.BodyPublisher json(Map<String, ?> body) {
        try {
            return HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Response send(HttpRequest.Builder request) throws UnreachableException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = r.body() == null || r.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(r.body());
            } catch (IOException e) {
                body = mapper.createObjectNode().put("error", "HTTP " + r.statusCode() + ": " + r.body().strip());
            }
            return new Response(r.statusCode(), body);
        } catch (ConnectException e) {
            throw new UnreachableException("cannot reach the CMS API at " + baseUrl + " (is `cms dev` running?)");
        } catch (IOException e) {
            throw new UnreachableException("request to " + baseUrl + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted");
        }
    }
}
