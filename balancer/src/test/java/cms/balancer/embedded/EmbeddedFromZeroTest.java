package cms.balancer.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.balancer.PoolSpec;
import cms.balancer.activator.Activator;
import cms.balancer.activator.WaitingRoom;
import cms.balancer.model.Member;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded balancer for a pod that scales from zero: with no slot serving, a request goes to the activator
 * (HAProxy's backup server) instead of a 503, waits there, and is answered by the node it is released to; a pod
 * without an activator still answers 503 at once.
 */
class EmbeddedFromZeroTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final WaitingRoom room = new WaitingRoom();
    private final Activator activator = new Activator(room, Duration.ofSeconds(5), Duration.ofSeconds(10), 0).open();
    private HttpServer node;
    private EmbeddedPool pool;

    private URI pool(String activatorEndpoint) throws Exception {
        node = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        node.createContext("/", x -> {
            byte[] body = "hello from web-1".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        node.start();
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        pool = new EmbeddedPool(new PoolSpec("web", "127.0.0.1", port, "/health", 2, activatorEndpoint), client,
                Duration.ofSeconds(10));
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    @AfterEach
    void stop() {
        pool.stop();
        node.stop(0);
        activator.close();
    }

    @Test
    void withNoSlotServingTheRequestWaitsInTheActivatorAndTheReleasedNodeAnswersIt() throws Exception {
        URI frontend = pool(activator.endpoint());
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(HttpRequest.newBuilder(frontend).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> room.waiting("web") == 1);
        room.release("web", List.of(new Member("web-1", "127.0.0.1", node.getAddress().getPort(), true, false)));
        assertEquals(200, answer.get().statusCode());
        assertEquals("hello from web-1", answer.get().body());
    }

    @Test
    void withoutAnActivatorItIsA503AtOnce() throws Exception {
        URI frontend = pool(null);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(frontend).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, r.statusCode());
        assertEquals(0, room.waiting("web"));
    }
}
