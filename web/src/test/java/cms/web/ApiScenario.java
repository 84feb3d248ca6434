package cms.web;

import cms.core.event.Event;
import cms.core.event.HostEvent;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.model.Cordon;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.core.topic.Topics;
import cms.web.jobs.JobSubmitter;
import cms.web.live.LiveFeed;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The whole API with something to show, for the tests that hold its shape: the web server with a resource manager
 * that decides as the real one does ({@link FakeResourceManager}, one host), a live view fed a pod, its samples,
 * decisions, node and job events and a host, a job table with jobs, and a job submitter whose Kafka takes every
 * record. Each call is kept as an {@link Exchange}.
 */
final class ApiScenario implements AutoCloseable {

    static final Instant T0 = TestWeb.T0;
    private static final Pattern CATCH_UP = Pattern.compile("(\\d+) events to catch up");

    /** One request and its answer: a JSON body, the data of each streamed event, or neither (a page, a text). */
    record Exchange(String method, String shown, int status, String contentType, JsonNode body, List<JsonNode> events) {

        String title() {
            return method + " " + shown + " -> " + status + " " + contentType.split(";")[0];
        }
    }

    final TestWeb web = new TestWeb();
    final FakeResourceManager rm = new FakeResourceManager(web.codec, web.clock, web.auth.book);
    final List<Exchange> exchanges = new ArrayList<>();
    private final LiveFeed feed = new LiveFeed(web.live, web.codec);
    private int ids;

    ApiScenario() throws Exception {
        web.admin = rm;
        web.submitter = new JobSubmitter(new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer()), web.codec, web.timeout, web.broker);
        web.liveness.register("cms-web-live", () -> new cms.core.kafka.LoopHealth("cms-web-live",
                cms.core.kafka.LoopHealth.State.RUNNING, T0.minusSeconds(1), null, null, 0));
        rm.host("h1", 4, 8192);
        rm.host("h2", 2, 4096);
        web.live.onOpen(null);
        feedLiveView();
        fillJobTable();
        web.start();
    }

    private String id() {
        return "e-" + ++ids;
    }

    private void feed(Topics topic, String key, Event e) throws Exception {
        feed.feed(topic, key, e, e == null ? T0.toEpochMilli() : e.at().toEpochMilli());
    }

    /** Pod "light" with an ONLINE and a FAILED node, what the balancer, the nodes and the jobs say of it, a host. */
    private void feedLiveView() throws Exception {
        Instant t = T0.minusSeconds(30);
        Node online = new Node("light-1", "light", NodeState.ONLINE, "h1", "127.0.0.1", 7001, false, null, t);
        Node failed = new Node("light-2", "light", NodeState.FAILED, "h1", null, null, false, "exited with code 1", t,
                1, T0.plusSeconds(20), 2000L);
        ElasticityPolicy policy = ElasticityPolicy.disabled().enable(1, 3, "threshold", "cpu", null, "one")
                .withTimeRules(30, 60, null, null);
        Pod light = new Pod("light", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false, policy,
                List.of(online, failed), t, 5000, "always");
        feed(Topics.PODS, "light", new PodsRecord.PodSnapshot(id(), 1, t, light));
        feed(Topics.PODS, "cms", new PodsRecord.CloudSnapshot(id(), 1, t, true, t,
                List.of(new Cordon("h2", t, false))));
        feed(Topics.HOST_EVENTS, "h1", new HostEvent.HostHeartbeat(id(), 1, t, "h1", "127.0.0.1", 4, 8192, 0.5, 900));
        feed(Topics.HOST_EVENTS, "h2", new HostEvent.HostJoined(id(), 1, t, "h2", "127.0.0.2", 2, 4096, null));
        feed(Topics.NODE_EVENTS, "light-1", new NodeEvent.NodeOnline(id(), 1, t, "light-1", "light", "h1",
                "127.0.0.1", 7001));
        feed(Topics.NODE_EVENTS, "light-2", new NodeEvent.NodeFailed(id(), 1, t, "light-2", "light", "h1",
                "exited with code 1", 1));
        Instant now = T0.minusSeconds(1); // samples of the last seconds are the current ones
        feed(Topics.METRICS, "light-1", new MetricSample.NodeSample(id(), 1, now, "light-1", "light", 0.42, 64));
        feed(Topics.METRICS, "light-1", new MetricSample.ServerSample(id(), 1, now, "light-1", "light", "UP", 12.5,
                2, 0, 8.0, 0.0));
        feed(Topics.METRICS, "light", new MetricSample.PodSample(id(), 1, now, "light", 12.5, 2, 0, 5.0, 9.0, 11.0,
                0.0, null, 8.0, "balancer"));
        feed(Topics.METRICS, "light", new MetricSample.PodSample(id(), 1, now, "light", null, null, null, null, null,
                null, null, 1, null, MetricSample.PodSample.RESOURCE_MANAGER, 1));
        feed(Topics.SCALING, "light", new ScalingDecision(id(), 1, t, "light", "cpu", 0.91, 1, 2,
                "cpu 0.91 over the upper threshold 0.80"));
        for (JobEvent e : jobEvents(t)) {
            feed(Topics.JOB_EVENTS, e.jobId(), e);
        }
        feed(Topics.PODS, "gone", null);
    }

    private List<JobEvent> jobEvents(Instant t) {
        JsonNode result = web.codec.mapper().valueToTree(java.util.Map.of("sha256", "ab", "echoedBack", 1));
        return List.of(
                new JobEvent.JobQueued(id(), 1, t, "j-done", "light", null, 1, null, null, 30, "http", t),
                new JobEvent.JobRunning(id(), 1, t, "j-done", "light", "light-1", 1),
                new JobEvent.JobSucceeded(id(), 1, t.plusSeconds(1), "j-done", "light", "light-1", result, 812L, 1,
                        null),
                new JobEvent.JobQueued(id(), 1, t, "j-failed", "light", null, 1, null, null, null, "kafka", t),
                new JobEvent.JobQueued(id(), 1, t.plusSeconds(2), "j-failed", "light", null, 2,
                        "attempt 1 failed (node light-2 went away); retrying in 250 ms", t.plusSeconds(3), null,
                        null, null),
                new JobEvent.JobFailed(id(), 1, t.plusSeconds(4), "j-failed", "light", "exited", "light-1", 2),
                new JobEvent.JobAborted(id(), 1, t.plusSeconds(5), "j-aborted", "light", "not needed"));
    }

    private void fillJobTable() {
        for (JobEvent e : jobEvents(T0.minusSeconds(10))) {
            web.table.apply(e);
        }
        web.table.submitted("j-new", "light", T0);
    }

    /** A request as the admin; {@code shown} is the path as the golden file names it (ids that vary left out). */
    Exchange call(String method, String path, String body, String shown) throws Exception {
        TestWeb.Answer a = web.send(method, path, body);
        Exchange x = new Exchange(method, shown, a.status(), a.contentType(), a.body(), List.of());
        exchanges.add(x);
        return x;
    }

    /** The stream from {@code path}: the events it replays (its first comment says how many), each event's data. */
    Exchange stream(String path) throws Exception {
        HttpRequest r = web.request("GET", path, null).header("Authorization", web.auth.bearer())
                .header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> s = web.http.send(r, HttpResponse.BodyHandlers.ofLines());
        List<JsonNode> events = new ArrayList<>();
        try (Stream<String> lines = s.body()) {
            Iterator<String> it = lines.iterator();
            int expected = -1;
            while ((expected < 0 || events.size() < expected) && it.hasNext()) {
                String line = it.next();
                Matcher m = CATCH_UP.matcher(line);
                if (expected < 0 && line.startsWith(":") && m.find()) {
                    expected = Integer.parseInt(m.group(1));
                } else if (line.startsWith("data:")) {
                    events.add(web.codec.mapper().readTree(line.substring(5)));
                }
            }
        }
        Exchange x = new Exchange("GET", path, s.statusCode(), s.headers().firstValue("Content-Type").orElse(""),
                null, events);
        exchanges.add(x);
        return x;
    }

    /** Every route's family, each a run of calls from a fresh scenario. */
    enum Family { PODS, NODES, ELASTICITY, HOSTS, JOBS, TOKENS, LIVE, STREAM, PAGES }

    /** The calls of one family: each of its routes answering, and refusing as its callers will meet. */
    List<Exchange> run(Family family) throws Exception {
        exchanges.clear();
        switch (family) {
            case PODS -> ApiScenarioCalls.run(this, ApiScenarioCalls.PODS);
            case NODES -> ApiScenarioCalls.run(this, ApiScenarioCalls.NODES);
            case ELASTICITY -> ApiScenarioCalls.run(this, ApiScenarioCalls.ELASTICITY);
            case HOSTS -> ApiScenarioCalls.run(this, ApiScenarioCalls.HOSTS);
            case JOBS -> {
                ApiScenarioCalls.run(this, "POST /api/init");
                rm.job("j-live", "light");
                ApiScenarioCalls.run(this, ApiScenarioCalls.JOBS);
            }
            case TOKENS -> ApiScenarioCalls.run(this, ApiScenarioCalls.TOKENS);
            case LIVE -> ApiScenarioCalls.run(this, ApiScenarioCalls.LIVE);
            case STREAM -> ApiScenarioCalls.run(this, ApiScenarioCalls.STREAM);
            case PAGES -> ApiScenarioCalls.run(this, ApiScenarioCalls.PAGES);
            default -> throw new IllegalArgumentException(family.name());
        }
        return List.copyOf(exchanges);
    }

    @Override
    public void close() {
        web.close();
    }
}
