package cms.balancer.activator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.balancer.model.Member;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The activator on loopback in front of one node (a JDK HTTP server): a request for a pod waits, counted, until
 * the loop releases it to a node, which answers it; past the hold limit, or refused, it gets a 503 with the reason.
 */
class ActivatorTest {

    private static final Duration HOLD = Duration.ofMillis(400);

    private final WaitingRoom room = new WaitingRoom();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer node;
    private Activator activator;

    @BeforeEach
    void start() throws Exception {
        node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        node.createContext("/", x -> {
            byte[] body = ("served " + x.getRequestURI() + " for " + x.getRequestHeaders().getFirst("X-Cms-Pod"))
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        node.start();
        activator = new Activator(room, HOLD, Duration.ofSeconds(5), 0).open();
    }

    @AfterEach
    void stop() {
        activator.close();
        node.stop(0);
    }

    private CompletableFuture<HttpResponse<String>> send(String pod) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://" + activator.endpoint() + "/hello?x=1"));
        if (pod != null) {
            r.header(Activator.POD_HEADER, pod);
        }
        return client.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Member member() {
        return new Member("web-1", "127.0.0.1", node.getAddress().getPort(), true, false);
    }

    @Test
    void aHeldRequestIsCountedAndServedByTheNodeItIsReleasedTo() throws Exception {
        assertTrue(activator.endpoint().startsWith("127.0.0.1:"), "loopback only");
        CompletableFuture<HttpResponse<String>> answer = send("web");
        await().atMost(Duration.ofSeconds(5)).until(() -> room.waiting("web") == 1);
        assertTrue(room.takeFresh(), "the pod began to have requests waiting: reported at once");
        assertFalse(room.takeFresh());
        room.release("web", List.of(member()));
        HttpResponse<String> r = answer.get();
        assertEquals(200, r.statusCode());
        assertEquals("served /hello?x=1 for web", r.body());
        assertEquals(0, room.waiting("web"));
    }

    @Test
    void pastItsHoldLimitARequestGetsA503SayingWhyAndNoLongerCounts() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = send("web").get();
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, r.statusCode());
        assertEquals("{\"error\":\"pod web has no node in service: none became ONLINE within 400 ms of waiting\"}",
                r.body());
        assertTrue(waited >= 400 && waited < 3000, "waited " + waited + " ms");
        assertEquals(0, room.waiting("web"));
        assertEquals(List.of(), List.copyOf(room.pods()));
    }

    @Test
    void aRefusedRequestGetsTheReasonAndOneWithoutAPodA400() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = send("web");
        await().atMost(Duration.ofSeconds(5)).until(() -> room.waiting("web") == 1);
        room.refuse("web", "pod web is paused");
        assertEquals(503, answer.get().statusCode());
        assertEquals("{\"error\":\"pod web is paused\"}", answer.get().body());
        HttpResponse<String> none = send(null).get();
        assertEquals(400, none.statusCode());
        assertTrue(none.body().contains("no X-Cms-Pod header"), none.body());
    }

    @Test
    void theRoomIsBoundedAndReleasesOverTheServingNodesInTurn() {
        List<CompletableFuture<Member>> tickets = new ArrayList<>();
        IntStream.range(0, WaitingRoom.MAX_WAITING).forEach(i -> tickets.add(room.hold(i % 2 == 0 ? "a" : "b")
                .orElseThrow()));
        assertEquals(Optional.empty(), room.hold("c"), "full");
        Member one = new Member("a-1", "10.0.0.1", 80, true, false);
        Member two = new Member("a-2", "10.0.0.2", 80, true, false);
        room.release("a", List.of());
        assertEquals(WaitingRoom.MAX_WAITING / 2, room.waiting("a"), "no serving node: still waiting");
        room.release("a", List.of(one, two));
        assertEquals(0, room.waiting("a"));
        assertEquals(one, tickets.get(0).join());
        assertEquals(two, tickets.get(2).join());
        assertTrue(room.hold("c").isPresent(), "room again");
        assertEquals(WaitingRoom.MAX_WAITING / 2, room.waiting("b"));
    }
}
