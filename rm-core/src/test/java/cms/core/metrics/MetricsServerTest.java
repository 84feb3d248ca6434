package cms.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheScrapeAtMetricsInTheTextFormatAndNothingElse() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, () -> "# TYPE up gauge\nup 1\n")) {
            assertTrue(server.url().matches("http://127\\.0\\.0\\.1:\\d+/metrics"), server.url());
            HttpResponse<String> ok = get(server.url(), "GET");
            assertEquals(200, ok.statusCode());
            assertEquals(MetricsServer.CONTENT_TYPE, ok.headers().firstValue("Content-Type").orElse(""));
            assertEquals("# TYPE up gauge\nup 1\n", ok.body());
            assertEquals(404, get(server.url().replace("/metrics", "/other"), "GET").statusCode());
            assertEquals(405, get(server.url(), "POST").statusCode());
        }
    }

    @Test
    void aPortThatIsTakenIsAnErrorNamingIt() {
        try (MetricsServer first = MetricsServer.start("127.0.0.1", 0, () -> "")) {
            assertThrows(java.io.UncheckedIOException.class,
                    () -> MetricsServer.start("127.0.0.1", first.port(), () -> ""));
        }
    }

    @Test
    void aServiceWhosePortIsTakenRunsWithoutMetrics() {
        try (MetricsServer first = MetricsServer.start("127.0.0.1", 0, () -> "");
             ServiceMetrics metrics = ServiceMetrics.of(r -> EventTap.NONE)) {
            assertTrue(metrics.serve(new MetricsConfig("127.0.0.1", first.port()), "test").isEmpty());
        }
    }

    private HttpResponse<String> get(String url, String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
