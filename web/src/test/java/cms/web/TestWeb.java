package cms.web;

import cms.core.codec.EventCodec;
import cms.core.config.Settings;
import cms.core.kafka.BrokerWatch;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.Liveness;
import cms.web.jobs.JobSubmitter;
import cms.web.jobs.JobTable;
import cms.web.jobs.TableOpening;
import cms.web.live.LiveConfig;
import cms.web.live.LiveController;
import cms.web.live.LiveView;
import cms.web.live.PageController;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The web server as the web module's tests run it, on a free port, without Kafka: the parts a test does not set
 * are left out (a null resource manager, no job submitter) or empty (the live view, the job table), so that what
 * is tested is what the API answers with what it was given. Set the fields, then {@link #start}.
 */
final class TestWeb implements AutoCloseable {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    /** One answer: its status, headers' content type and body (JSON when it is JSON, else null). */
    record Answer(int status, String contentType, String text, JsonNode body) {
    }

    final EventCodec codec = new EventCodec();
    final ApiJson api = new ApiJson(codec);
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    final Duration timeout = Duration.ofSeconds(1);
    final TestAuth auth = new TestAuth(clock);
    /** Whether the broker watch's probe fails (then {@code broker.probeOnce()}). */
    final AtomicBoolean kafkaAway = new AtomicBoolean();
    final BrokerWatch broker = new BrokerWatch(t -> {
        if (kafkaAway.get()) {
            throw new TimeoutException("no answer");
        }
    }, clock, Duration.ofSeconds(1), Duration.ofSeconds(1));
    final LiveView live = new LiveView(LiveConfig.from(new Settings(Map.of("CMS_KAFKA", "127.0.0.1:9"))), codec,
            clock);
    final HttpClient http = HttpClient.newHttpClient();
    Liveness liveness = new Liveness(clock);
    AdminClient admin;
    JobSubmitter submitter;
    JobTable table = new JobTable(100);
    /** What the job API waits for: nothing by default (the table is complete from the start). */
    TableOpening opening = TableOpening.opened();
    /** Whether a pod exists for the job API and the pod page; by default: the live view's, then the admin client's. */
    java.util.function.Predicate<String> podExists;
    int maxPayload = 1024;
    int queueLimit = 3;
    private WebServer server;

    WebServer start() {
        WebConfig config = new WebConfig(new KafkaSettings("127.0.0.1:9"), "127.0.0.1", 0, timeout, 100, maxPayload,
                queueLimit, Set.of());
        LiveController liveApi = new LiveController(live, api);
        PodLookup lookup = new PodLookup(podExists != null ? podExists : liveApi::knows,
                podExists != null ? null : admin, clock, timeout);
        server = new WebServer(config, new AdminController(admin, broker, liveness, api, clock, timeout),
                new JobsController(submitter, table, lookup, admin, broker, api, clock, timeout, maxPayload,
                        queueLimit, opening),
                liveApi, new PageController(lookup::exists), new TokensController(admin, auth.book,
                        (seen, t) -> seen.getAsBoolean(), api, clock, timeout), auth.auth, api).start();
        return server;
    }

    WebServer server() {
        return server;
    }

    HttpRequest.Builder request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    /** A request as the admin, its body JSON when there is one. */
    Answer send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(method, path, body).header("Authorization", auth.bearer());
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return answer(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Answer answer(HttpResponse<String> r) throws IOException {
        String type = r.headers().firstValue("Content-Type").orElse("");
        JsonNode json = type.startsWith("application/json") ? codec.mapper().readTree(r.body()) : null;
        return new Answer(r.statusCode(), type, r.body(), json);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
