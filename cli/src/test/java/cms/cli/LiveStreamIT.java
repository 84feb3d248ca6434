package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.Ids;
import cms.core.event.MetricSample;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;

/**
 * The live view against a real broker, resource manager and web service: {@code /api/stream} delivers a
 * metric record as it is produced, filtered by pod and kind, with keep-alive comments; a client that
 * reconnects with Last-Event-ID gets exactly what it missed, also from a restarted web service; bad
 * parameters are refused; {@code cloud elasticity status} shows a pod and refuses an unknown one.
 */
class LiveStreamIT {

    private static final EventCodec CODEC = new EventCodec();

    private static void sample(EventPublisher p, String pod, double rps) throws Exception {
        p.publish(Topics.METRICS, new MetricSample.PodSample(Ids.next(), 1, Instant.now(), pod, rps, 0, 0, null, null,
                null, 0.0, null, 1.0, "it")).get(10, TimeUnit.SECONDS);
    }

    /**
     * Only this test's own samples (source "it"): the resource manager also publishes a job sample for
     * every pod each second.
     */
    private static java.util.function.Consumer<StreamClient.Event> ours(BlockingQueue<StreamClient.Event> q) {
        return e -> {
            try {
                JsonNode source = CODEC.mapper().readTree(e.data()).path("event").get("source");
                if (source == null || "it".equals(source.asText())) {
                    q.add(e);
                }
            } catch (java.io.IOException ex) {
                q.add(e);
            }
        };
    }

    private static double rps(StreamClient.Event e) throws Exception {
        JsonNode data = CODEC.mapper().readTree(e.data());
        assertEquals("metrics", e.name());
        assertEquals("metrics", data.get("kind").asText());
        return data.get("event").get("requests_per_second").asDouble();
    }

    private static List<Double> take(BlockingQueue<StreamClient.Event> q, int n) throws Exception {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StreamClient.Event e = q.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "event " + (i + 1) + " of " + n + " within 10 s (got " + out + ")");
            out.add(rps(e));
        }
        return out;
    }

    @Test
    void streamResumeAndElasticityStatus() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager()
                .withWeb(Map.of("CMS_WEB_STREAM_KEEPALIVE_MS", "200"));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(new KafkaSettings(
                     cms.broker.bootstrapServers()).producer("it-live", null))) {
            EventPublisher publisher = new EventPublisher(producer, CODEC);
            assertEquals(0, cms.cloud("pod", "register", "sp", "--frontend-port",
                    String.valueOf(TestCluster.freePort())).exit());
            await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("elasticity", "status", "sp").exit() == 0);
            TestCluster.Run status = cms.cloud("elasticity", "status", "sp");
            assertTrue(status.out().startsWith("pod sp: elasticity off, 0-0 nodes, threshold mode on cpu"),
                    status.out());
            assertTrue(status.out().contains("no decisions yet"), status.out());
            TestCluster.Run json = cms.cloud("elasticity", "status", "sp", "--json");
            assertEquals("sp", CODEC.mapper().readTree(json.out()).path("data").path("pod").asText(), json.out());
            TestCluster.Run unknown = cms.cloud("elasticity", "status", "nope");
            assertEquals(CloudCommand.REFUSED, unknown.exit());
            assertEquals("cloud: no pod named 'nope' [field: pod]\n", unknown.err());

            String url = cms.apiUrl + "/api/stream?pod=sp&kind=metrics";
            BlockingQueue<StreamClient.Event> first = new LinkedBlockingQueue<>();
            String lastId;
            long start = System.currentTimeMillis();
            try (StreamClient s = new StreamClient(url, cms.token, null, ours(first))) {
                sample(publisher, "other", 99);
                sample(publisher, "sp", 1);
                StreamClient.Event e = first.poll(10, TimeUnit.SECONDS);
                assertNotNull(e);
                assertEquals(1.0, rps(e));
                assertTrue(e.id().matches("[0-9a-z]+\\.\\d+\\.\\d+"), e.id());
                lastId = e.id();
                await().atMost(Duration.ofSeconds(5)).until(() -> s.comments() >= 3); // connected + keep-alives
            }
            for (double v : List.of(2.0, 3.0, 4.0)) {
                sample(publisher, "sp", v);
            }
            sample(publisher, "other", 98);
            BlockingQueue<StreamClient.Event> resumed = new LinkedBlockingQueue<>();
            try (StreamClient s = new StreamClient(url, cms.token, lastId, ours(resumed))) {
                assertEquals(List.of(2.0, 3.0, 4.0), take(resumed, 3), "what it missed, in order, only pod sp");
                sample(publisher, "sp", 5);
                assertEquals(List.of(5.0), take(resumed, 1), "then live");
                assertNull(resumed.poll(300, TimeUnit.MILLISECONDS));
            }
            BlockingQueue<StreamClient.Event> since = new LinkedBlockingQueue<>();
            try (StreamClient s = new StreamClient(url + "&since=" + start, cms.token, null, ours(since))) {
                assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0), take(since, 5));
            }

            // a restarted web service: another process, other ids; the old id resumes by its time
            String restarted = cms.services.web(cms.settings(Map.of())).url();
            JsonHttp api2 = new JsonHttp(restarted, cms.token);
            await().atMost(Duration.ofSeconds(10)).until(() -> api2.get("/api/live/pods/sp").status() == 200
                    && java.util.stream.StreamSupport.stream(api2.get("/api/live/pods/sp").data().get("pod_samples")
                    .spliterator(), false).filter(x -> "it".equals(x.path("source").asText())).count() == 5);
            BlockingQueue<StreamClient.Event> again = new LinkedBlockingQueue<>();
            try (StreamClient s = new StreamClient(restarted + "/api/stream?pod=sp&kind=metrics", cms.token, lastId, ours(again))) {
                List<Double> got = take(again, 5);
                assertTrue(got.containsAll(List.of(2.0, 3.0, 4.0, 5.0)), "nothing missed across the restart: " + got);
            }
            assertEquals(1, cms.api().get("/api/live").data().get("pods").size());

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(cms.apiUrl
                    + "/api/stream?kind=nodes,bogus")).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + cms.token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertEquals("kind", CODEC.mapper().readTree(bad.body()).get("field").asText(), bad.body());
            assertEquals(406, cms.api().get("/api/stream").status());
        }
    }
}
