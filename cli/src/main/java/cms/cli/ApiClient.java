package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The {@code cloud} client's view of the CMS admin API: JSON in, status and JSON out.
 *
 * <p>Over {@link HttpURLConnection}, not the JDK's newer {@code java.net.http} client: that one keeps a selector
 * thread waiting in native code, and a JVM that exits waits up to 0.3 s for such threads (measured: about 0.35 s of a
 * 0.7 s {@code cloud pod ls}); it also loads some 430 classes more (its own and TLS's) for a plain request. Each call
 * here is one request (the JDK may keep its connection for the next call), no redirect followed. A body is buffered,
 * not streamed, so that a 401 answer keeps its message; the entry points turn off the JDK's one silent retry of a
 * POST whose answer broke off ({@link CloudMain#RETRY_POST}).
 */
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

    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int READ_TIMEOUT_MS = 30_000;

    private final String baseUrl;
    private final String token;

    /** A client that sends {@code token} (may be null: none) as {@code Authorization: Bearer} on every call. */
    ApiClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    boolean hasToken() {
        return token != null;
    }

    /** The token it sends (null: none), for the live stream's own connection. */
    String token() {
        return token;
    }

    /** An answer of the API that came some other way (the live stream's refusal): its status and text as JSON. */
    Response response(int status, String text) {
        return new Response(status, parse(status, text));
    }

    String baseUrl() {
        return baseUrl;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Response get(String path) throws UnreachableException {
        return send("GET", path, null);
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
        return send("DELETE", path, null);
    }

    Response post(String path, Map<String, ?> body) throws UnreachableException {
        return send("POST", path, json(body));
    }

    Response put(String path, Map<String, ?> body) throws UnreachableException {
        return send("PUT", path, json(body));
    }

    private HttpURLConnection open(String path) throws IOException, UnreachableException {
        URL url;
        try {
            url = URI.create(baseUrl + path).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new UnreachableException("bad server URL '" + baseUrl + "': " + e.getMessage());
        }
        if (!url.getProtocol().equals("http") && !url.getProtocol().equals("https")) {
            throw new UnreachableException("bad server URL '" + baseUrl + "': invalid URI scheme " + url.getProtocol());
        }
        return (HttpURLConnection) url.openConnection();
    }

    private static byte[] json(Map<String, ?> body) {
        return JsonTrees.write(body);
    }

    private Response send(String method, String path, byte[] body) throws UnreachableException {
        try {
            HttpURLConnection c = open(path);
            c.setRequestMethod(method);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            c.setRequestProperty("Accept", "application/json");
            if (token != null) {
                c.setRequestProperty("Authorization", "Bearer " + token);
            }
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            String text;
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Response(status, parse(status, text));
        } catch (ConnectException e) {
            throw new UnreachableException("cannot reach the CMS API at " + baseUrl + " (is `cms dev` running?)");
        } catch (IOException e) {
            throw new UnreachableException("request to " + baseUrl + " failed: " + e);
        }
    }

    private static JsonNode parse(int status, String text) {
        try {
            return text.isBlank() ? JsonNodeFactory.instance.objectNode() : JsonTrees.parse(text);
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode().put("error", "HTTP " + status + ": " + text.strip());
        }
    }
}
