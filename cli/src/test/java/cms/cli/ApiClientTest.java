package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's HTTP exchange with the API, against a local HTTP server that answers as told and records what came. */
class ApiClientTest {

    /** What the server received: method, path with query, the headers the client sets, the body. */
    private record Received(String method, String path, String contentType, String authorization, String body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"message\":\"ok\"}";
    private volatile Map<String, String> headers = Map.of("Content-Type", "application/json");

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private ApiClient client(String token) {
        return new ApiClient("http://127.0.0.1:" + server.getAddress().getPort() + "/", token);
    }

    @Test
    void aPostSendsItsJsonOnceWithTheTokenAndReadsTheAnswer() throws Exception {
        status = 201;
        answer = "{\"message\":\"pod p registered\",\"data\":{\"name\":\"p\"}}";
        ApiClient.Response r = client(" cms_a_b ").post("/api/pods", Map.of("name", "p"));
        assertEquals(201, r.status());
        assertEquals("pod p registered", r.message());
        assertEquals("p", r.data().path("name").asText());
        assertEquals(List.of(new Received("POST", "/api/pods", "application/json", "Bearer cms_a_b",
                "{\"name\":\"p\"}")), received);
    }

    @Test
    void getDeleteAndPutSayWhatTheyAre() throws Exception {
        ApiClient api = client(null);
        api.get("/api/pods?limit=2");
        api.delete("/api/pods/p");
        api.put("/api/pods/p/elasticity", Map.of("min", 1));
        assertEquals(List.of(new Received("GET", "/api/pods?limit=2", null, null, ""),
                new Received("DELETE", "/api/pods/p", null, null, ""),
                new Received("PUT", "/api/pods/p/elasticity", "application/json", null, "{\"min\":1}")), received);
    }

    /** The JDK's HTTP/1.1 client would throw away the answer of a 401 to a request whose body it streamed. */
    @Test
    void aRefusedPostKeepsTheApiReason() throws Exception {
        status = 401;
        headers = Map.of("Content-Type", "application/json", "WWW-Authenticate", "Bearer realm=\"cms\"");
        answer = "{\"error\":\"not a CMS token (cms_<id>_<secret>)\"}";
        ApiClient.Response r = client("bad").post("/api/init", Map.of());
        assertEquals(401, r.status());
        assertEquals("not a CMS token (cms_<id>_<secret>)", r.message());
    }

    @Test
    void anAnswerThatIsNotJsonIsItsStatusAndText() throws Exception {
        status = 502;
        headers = Map.of("Content-Type", "text/plain");
        answer = "bad gateway\n";
        ApiClient.Response r = client(null).get("/api/pods");
        assertEquals("HTTP 502: bad gateway", r.message());
    }

    @Test
    void anEmptyAnswerIsItsStatus() throws Exception {
        status = 503;
        answer = "";
        assertEquals("HTTP 503", client(null).get("/api/pods").message());
    }

    @Test
    void aRedirectIsAnswerNotFollowed() throws Exception {
        status = 302;
        headers = Map.of("Location", "https://elsewhere.example/api/pods");
        answer = "";
        assertEquals(302, client(null).get("/api/pods").status());
        assertEquals(1, received.size());
    }

    @Test
    void onlyHttpAddressesAreServers() {
        ApiClient.UnreachableException e = assertThrows(ApiClient.UnreachableException.class,
                () -> new ApiClient("ftp://x", null).get("/api/pods"));
        assertEquals("bad server URL 'ftp://x': invalid URI scheme ftp", e.getMessage());
        assertTrue(received.isEmpty());
    }

    @Test
    void everyPageOfAListFollowingNext() throws Exception {
        server.removeContext("/");
        server.createContext("/", exchange -> {
            boolean second = exchange.getRequestURI().toString().contains("after=b");
            answer = second ? "{\"message\":\"3 pod(s)\",\"data\":[{\"name\":\"c\"}]}"
                    : "{\"message\":\"3 pod(s)\",\"data\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"next\":\"b\"}";
            answer(exchange);
        });
        ApiClient.Response r = client(null).getAll("/api/pods");
        assertEquals("[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]", r.data().toString());
        assertEquals("3 pod(s)", r.message());
        assertEquals(List.of("/api/pods", "/api/pods?after=b"), received.stream().map(Received::path).toList());
    }
}
