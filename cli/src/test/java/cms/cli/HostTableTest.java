package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.core.codec.EventCodec;
import cms.core.model.HostState;
import cms.rm.model.HostDecisions;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code cloud host ls} prints from the JSON the resource manager answers for {@code /api/hosts} (its
 * {@link HostDecisions.HostRow}s, in the API's spelling) and the live view's heartbeats: every host READY, LEFT
 * or LOST, its scheduling, and its usage where a heartbeat gave it.
 */
class HostTableTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private final EventCodec codec = new EventCodec();
    /** The JSON as the API answers it (snake_case). */
    private final cms.web.ApiJson json = new cms.web.ApiJson(codec);

    private static HostDecisions.HostRow row(String id, HostState state, String reason, String scheduling, int nodes) {
        return new HostDecisions.HostRow(id, "10.9.0." + id.charAt(1), state.name(), reason, 2, 4096, T0, scheduling,
                !scheduling.equals("ok"), scheduling.startsWith("draining"), nodes, 0, null);
    }

    @Test
    void everyHostWithItsStateSchedulingAndUsage() throws Exception {
        JsonNode hosts = codec.mapper().readTree(json.write(List.of(
                row("h1", HostState.READY, null, "ok", 3),
                row("h2", HostState.READY, null, "draining (2 left, waiting for room: 1 nodes)", 2),
                row("h3", HostState.LEFT, "daemon stopping", "cordoned", 1),
                row("h4", HostState.LOST, "host h4 lost: no heartbeat for 5 s", "ok", 0))));
        JsonNode live = codec.mapper().readTree(json.write(List.of(
                Map.of("host_id", "h1", "cpu_used", 0.5, "memory_used_mb", 300),
                Map.of("host_id", "h2", "cpu_used", 0.25, "memory_used_mb", 200))));
        HostUsage.merge(hosts, live);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Tables.hosts(new PrintStream(out, true, StandardCharsets.UTF_8), hosts);
        assertEquals(String.join("\n",
                "HOST  ADDRESS   STATE  SCHEDULING                                    NODES  CPU USED  MEMORY USED  "
                        + "LAST SEEN             REASON",
                "h1    10.9.0.1  READY  ok                                            3      0.50/2.0  300/4096 MB  "
                        + "2025-03-01T10:00:00Z",
                "h2    10.9.0.2  READY  draining (2 left, waiting for room: 1 nodes)  2      0.25/2.0  200/4096 MB  "
                        + "2025-03-01T10:00:00Z",
                "h3    10.9.0.3  LEFT   cordoned                                      1      -         -            "
                        + "2025-03-01T10:00:00Z  daemon stopping",
                "h4    10.9.0.4  LOST   ok                                            0      -         -            "
                        + "2025-03-01T10:00:00Z  host h4 lost: no heartbeat for 5 s", ""),
                out.toString(StandardCharsets.UTF_8).lines().map(String::stripTrailing)
                        .reduce("", (a, b) -> a + b + "\n"));
    }

    /** The whole command against a fake API answering as the web service does (lists under {@code data}). */
    @Test
    void cloudHostLsAsksForTheHostsAndTheirHeartbeats() throws Exception {
        com.sun.net.httpserver.HttpServer api = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, String> answers = Map.of(
                "/api/hosts", json.write(Map.of("message", "1 host(s)", "data", List.of(row("h1", HostState.READY,
                        null, "cordoned", 2)))),
                "/api/live", json.write(Map.of("message", "live overview", "data", Map.of("hosts", List.of(
                        Map.of("host_id", "h1", "cpu_used", 0.5, "memory_used_mb", 300))))));
        answers.forEach((path, body) -> api.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }));
        api.start();
        try {
            TestCluster.Run r = TestCluster.cloudAt("http://127.0.0.1:" + api.getAddress().getPort(), null, "host", "ls");
            assertEquals(0, r.exit(), r.err());
            String line = r.out().lines().filter(l -> l.startsWith("h1 ")).findFirst().orElseThrow();
            assertEquals(List.of("h1", "10.9.0.1", "READY", "cordoned", "2", "0.50/2.0", "300/4096", "MB",
                    "2025-03-01T10:00:00Z"), List.of(line.trim().split("\\s+")));
        } finally {
            api.stop(0);
        }
    }
}
