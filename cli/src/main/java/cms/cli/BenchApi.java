package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The few admin calls the benchmarks make against the CMS they started, with its admin token. */
final class BenchApi {

    private final String base;
    private final String token;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** A client of the API at {@code base} sending {@code token} as a bearer token (null: none). */
    BenchApi(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** A request to {@code uri} carrying {@code token} as {@code Authorization: Bearer} (none when null). */
    static HttpRequest.Builder request(URI uri, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private HttpRequest.Builder request(String path) {
        return request(URI.create(base + path), token);
    }

    /** GETs {@code path}; returns the response. */
    HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs the body as JSON; returns the HTTP status. */
    int post(String path, Map<String, ?> body) throws Exception {
        return postFor(path, body).statusCode();
    }

    /** POSTs the body as JSON; returns the response. */
    HttpResponse<String> postFor(String path, Map<String, ?> body) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** PUTs the body as JSON; returns the HTTP status. */
    int put(String path, Map<String, ?> body) throws Exception {
        return http.send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    int delete(String path) throws Exception {
        return http.send(request(path).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Launches the pod's next NEW node, retrying while no host has joined yet (409), for up to 30 s. */
    void launch(String pod) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (post("/api/pods/" + pod + "/launch", Map.of()) == 409) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no host had room for a node of " + pod + " within 30 s");
            }
            Thread.sleep(20); // polling interval while the first heartbeat is on its way
        }
    }

    /** Polls the node every 10 ms until it is ONLINE (returned) or FAILED (thrown), for up to 2 minutes. */
    JsonNode awaitOnline(String pod, String name) throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode n = node(pod, name);
            String state = n == null ? "" : n.path("state").asText();
            if (state.equals("ONLINE")) {
                return n;
            }
            if (state.equals("FAILED")) {
                throw new IllegalStateException(name + " FAILED: " + n.path("reason").asText());
            }
            Thread.sleep(10); // polling interval of the measurement
        }
        throw new IllegalStateException(name + " did not become ONLINE within 2 minutes");
    }

    /** The pod's elasticity: its policy and its recent decisions. */
    JsonNode elasticity(String pod) throws Exception {
        return mapper.readTree(get("/api/pods/" + pod + "/elasticity").body()).path("data");
    }

    /** The pod as the API shows it (a missing node when there is no such pod). */
    JsonNode pod(String pod) throws Exception {
        return mapper.readTree(get("/api/pods/" + pod).body()).path("data");
    }

    /** The node as the API shows it, or null when the pod has no such node. */
    JsonNode node(String pod, String name) throws Exception {
        for (JsonNode n : pod(pod).path("nodes")) {
            if (n.path("name").asText().equals(name)) {
                return n;
            }
        }
        return null;
    }
}
