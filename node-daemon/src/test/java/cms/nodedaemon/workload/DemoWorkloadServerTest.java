package cms.nodedaemon.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.rm.model.JobAnswers;
import cms.rm.model.JobBook.Answer;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    private int port() {
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    @Test
    void everyAnswerNamesTheNodeInTheHeader() throws Exception {
        for (HttpResponse<String> r : List.of(send("GET", "/health", null), send("GET", "/", null),
                send("POST", "/job", "{}"), send("GET", "/job", null), send("POST", "/job", "{\"fail\":\"no\"}"))) {
            assertEquals("n7", r.headers().firstValue(JobAnswers.NODE_HEADER).orElse(null), r.uri().toString());
        }
    }

    @Test
    void aJobAskingToFailIsRefusedWith422AndItsMessage() throws Exception {
        HttpResponse<String> r = send("POST", "/job", "{\"fail\":\"disk full\",\"n\":1}");

        assertEquals(422, r.statusCode());
        assertEquals("{\"error\":\"disk full\",\"node\":\"n7\"}", r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void theRefusalHasItsReasonPhraseAndIsOneWholeAnswer() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port())) {
            byte[] body = "{\"fail\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("POST /job HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(body);
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(all.startsWith("HTTP/1.1 422 Unprocessable Content\r\n"), all);
            assertTrue(all.contains("\r\nX-CMS-Node: n7\r\n"), all);
            assertTrue(all.endsWith("\r\n\r\n{\"error\":\"x\",\"node\":\"n7\"}"), all);
        }
    }

    @Test
    void theResourceManagerReadsTheWorkloadsAnswersAsDoneOrRefusedByThisNode() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        HttpResponse<String> ok = send("POST", "/job", "{\"n\":1}");
        HttpResponse<String> refused = send("POST", "/job", "{\"fail\":\"disk full\"}");

        Answer done = JobAnswers.of(ok.statusCode(), ok.headers().firstValue(JobAnswers.NODE_HEADER).orElse(null),
                mapper.readTree(ok.body()), 3);
        Answer no = JobAnswers.of(refused.statusCode(),
                refused.headers().firstValue(JobAnswers.NODE_HEADER).orElse(null), mapper.readTree(refused.body()), 3);

        assertEquals("n7", assertInstanceOf(Answer.Done.class, done).node());
        assertEquals("n7", ((Answer.Done) done).result().path("node").asText());
        assertEquals(new Answer.Refused("n7", 422, "disk full"), no);
    }
}
