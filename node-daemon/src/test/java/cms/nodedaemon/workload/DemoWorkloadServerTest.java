package cms.nodedaemon.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo workload's HTTP/1.1 server on a loopback port: paths, keep-alive, whole responses. */
class DemoWorkloadServerTest {

    private DemoWorkload workload;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        workload = new DemoWorkload("n7", "medium", 5, "127.0.0.1", 0);
        InetSocketAddress at = workload.start();
        base = "http://127.0.0.1:" + at.getPort();
    }

    @AfterEach
    void stop() {
        workload.stop();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, p).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthRequestAndJobNameTheNode() throws Exception {
        HttpResponse<String> health = send("GET", "/health", null);
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"UP\",\"node\":\"n7\",\"kind\":\"medium\"}", health.body());
        HttpResponse<String> request = send("GET", "/", null);
        assertTrue(request.body().startsWith("{\"node\":\"n7\",\"kind\":\"medium\",\"millis\":"), request.body());
        HttpResponse<String> job = send("POST", "/job", "abc");
        assertEquals(200, job.statusCode());
        assertTrue(job.body().contains("\"input_bytes\":3"), job.body());
        assertTrue(job.body().contains("\"sha256\":\""), job.body());
        assertEquals("application/json", job.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void aJobMustBePosted() throws Exception {
        HttpResponse<String> r = send("GET", "/job", null);
        assertEquals(405, r.statusCode());
        assertEquals("{\"error\":\"POST a job body to /job\"}", r.body());
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnectionEachInOneWhole() throws Exception {
        try (Socket s = new Socket("127.0.0.1", Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)))) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /health HTTP/1.1\r\nHost: x\r\n\r\nPOST /job HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\nhi").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, all.split("HTTP/1.1 200 OK").length - 1, all);
            assertTrue(all.contains("\"input_bytes\":2"), all);
            assertTrue(all.contains("Connection: close"), all);
        }
    }
}
