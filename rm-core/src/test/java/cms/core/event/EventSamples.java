package cms.core.event;

import cms.core.model.Cordon;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One realistic instance of every concrete event type, and the list of concrete types per topic. A new
 * event type without a sample here makes {@code EventRoundTripTest} fail.
 */
public final class EventSamples {

    /** For {@code @MethodSource}: arguments (topic, type name, type) for every concrete type of every topic. */
    public static final String TOPIC_TYPES = "cms.core.event.EventSamples#topicTypes";
    public static final Instant AT = Instant.parse("2025-03-01T10:15:30.123Z");
    private static final Instant EARLIER = Instant.parse("2025-03-01T09:00:00Z");
    private static final Map<Class<?>, Event> SAMPLES = new LinkedHashMap<>();

    static {
        add(new JobSubmission.JobSubmitted("e-101", 1, AT, "job-7", "light", object("n", 30), 30));
        add(new JobEvent.JobQueued("e-201", 1, AT, "job-7", "light", object("n", 30), 2, "node failed: 502 from the balancer",
                AT.plusMillis(500), 30, "kafka", AT.minusMillis(20)));
        add(new JobEvent.JobRunning("e-202", 1, AT, "job-7", "light", "light-2", 1));
        add(new JobEvent.JobSucceeded("e-203", 1, AT, "job-7", "light", "light-2", object("fib", 832040), 412L, 1));
        add(new JobEvent.JobFailed("e-204", 1, AT, "job-7", "light", "node light-2 answered 500", "light-2", 1));
        add(new JobEvent.JobAborted("e-205", 1, AT, "job-7", "light", "pod light removed"));
        add(new JobStateRecord.LiveJob("e-202", 1, AT, "job-7", "light", JobStateRecord.Status.RUNNING, 2,
                object("n", 30), null, 30, "kafka", EARLIER));
        add(new JobStateRecord.EndedJob("e-204", 1, AT, "job-7", "light", JobStateRecord.Status.FAILED, 1, "light-2",
                null, "node light-2 answered 500", "http", EARLIER));
        add(new NodeCommand.LaunchNode("e-301", 1, AT, "host-a", "web-1", "web",
                Workload.image("nginx:1.27", 80, "/healthz", "/work"), 0.5, 256));
        add(new NodeCommand.StopNode("e-302", 1, AT, "host-a", "web-1", "web"));
        add(new NodeEvent.NodeStarting("e-401", 1, AT, "light-2", "light", "host-a"));
        add(new NodeEvent.NodeOnline("e-402", 1, AT, "light-2", "light", "host-a", "10.0.0.5", 32771));
        add(new NodeEvent.NodeFailed("e-403", 1, AT, "light-2", "light", "host-a", "health check timed out", 137));
        add(new NodeEvent.NodeStopped("e-404", 1, AT, "light-2", "light", "host-a"));
        add(new NodeEvent.NodeDrained("e-405", 1, AT, "light-2", "light"));
        add(new HostEvent.HostJoined("e-501", 1, AT, "host-a", "10.0.0.5", 8.0, 16384L));
        add(new HostEvent.HostHeartbeat("e-502", 1, AT, "host-a", "10.0.0.5", 8.0, 16384L, 2.75, 3072L));
        add(new HostEvent.HostLost("e-503", 1, AT, "host-a", "no heartbeat for 10s"));
        add(new MetricSample.NodeSample("e-601", 1, AT, "light-2", "light", 0.42, 87L));
        add(new MetricSample.PodSample("e-602", 1, AT, "light", 120.5, 4, 2, 11.0, 48.5, 97.25, 0.5, 3, 20.5,
                "balancer"));
        add(new MetricSample.ServerSample("e-603", 1, AT, "n1", "light", "UP", 40.0, 2, 0, 3.5, 0.0));
        add(new ScalingDecision("e-701", 1, AT, "light", "cpuShare", 0.91, 2, 3, "cpu 0.91 above upper 0.80"));
        add(new PodsRecord.PodSnapshot("e-801", 1, AT, samplePod()));
        add(new PodsRecord.CloudSnapshot("e-802", 1, AT, true, EARLIER));
        add(new AdminRequest.InitCloud("e-901", 1, AT));
        add(new AdminRequest.RegisterPod("e-902", 1, AT, "web", null, "nginx:1.27", 80, "/healthz", "/work",
                0.5, 256, 10));
        add(new AdminRequest.RemovePod("e-903", 1, AT, "web", true));
        add(new AdminRequest.ListPods("e-904", 1, AT));
        add(new AdminRequest.GetPod("e-905", 1, AT, "light"));
        add(new AdminRequest.AbortJob("e-930", 1, AT, "job-7", "no longer needed"));
        add(new AdminRequest.RegisterNode("e-906", 1, AT, "light", "light-3"));
        add(new AdminRequest.RemoveNode("e-907", 1, AT, "light", "light-3"));
        add(new AdminRequest.Launch("e-908", 1, AT, "light"));
        add(new AdminRequest.ListNodes("e-909", 1, AT, "light"));
        add(new AdminRequest.Pause("e-910", 1, AT, "light"));
        add(new AdminRequest.Resume("e-911", 1, AT, "light"));
        add(new AdminRequest.EnableElasticity("e-912", 1, AT, "light", 1, 5));
        add(new AdminRequest.DisableElasticity("e-913", 1, AT, "light"));
        add(new AdminRequest.SetThreshold("e-914", 1, AT, "light", AdminRequest.Threshold.UPPER, 0.75));
        add(new AdminRequest.ListHosts("e-931", 1, AT));
        add(new AdminRequest.CordonHost("e-932", 1, AT, "host-a"));
        add(new AdminRequest.UncordonHost("e-933", 1, AT, "host-a"));
        add(new AdminRequest.DrainHost("e-934", 1, AT, "host-a"));
        add(new AdminRequest.CreateToken("e-935", 1, AT, "0a1b2c3d4e5f", "ci", "operator",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", AT.plusSeconds(86_400),
                "0f0e0d0c0b0a"));
        add(new AdminRequest.RevokeToken("e-936", 1, AT, "0a1b2c3d4e5f", "0f0e0d0c0b0a"));
        add(new AdminRequest.CreateJoinToken("e-937", 1, AT, "a0b1c2d3e4f5", "host-b",
                "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", AT.plusSeconds(900),
                "0a1b2c3d4e5f"));
        add(new AdminReply("e-951", 1, AT, "e-905", 200, null, null, object("name", "light")));
        add(new DeadLetter("e-991", 1, AT, "rm-core", "node-events", 2, 1041L, "light-2", "{not json",
                "not a valid NodeEvent: Unexpected character"));
        add(new TokenRecord.ApiToken("e-1001", 1, AT, "0a1b2c3d4e5f", "ci", "operator",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", null, "0f0e0d0c0b0a"));
        add(new TokenRecord.JoinToken("e-1002", 1, AT, "a0b1c2d3e4f5", "host-b",
                "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", AT.plusSeconds(900), "0a1b2c3d4e5f"));
        add(new TokenRecord.HostAdmitted("e-1003", 1, AT, "host-b", "a0b1c2d3e4f5"));
    }

    /**
     * Later shapes of a type, by fixture name {@code TOPIC/TYPE.vN.SHAPE}: samples that use optional fields
     * added since the type's first fixture, which stays as it was (a reader still takes the old shape).
     */
    private static final Map<String, Event> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("pods/PodSnapshot.v1.restarts", new PodsRecord.PodSnapshot("e-811", 1, AT, restartingPod()));
        SHAPES.put("pods/CloudSnapshot.v1.cordons", new PodsRecord.CloudSnapshot("e-812", 1, AT, true, EARLIER,
                List.of(new Cordon("host-a", EARLIER, false), new Cordon("host-b", AT, true))));
        SHAPES.put("pods/PodSnapshot.v1.drain", new PodsRecord.PodSnapshot("e-813", 1, AT, drainingPod()));
        SHAPES.put("admin-requests/RegisterPod.v1.restart-policy", new AdminRequest.RegisterPod("e-921", 1, AT, "web",
                null, "nginx:1.27", 80, "/healthz", "/work", 0.5, 256, 10, 5003, "never"));
        SHAPES.put("metrics/PodSample.v1.waiting", new MetricSample.PodSample("e-604", 1, AT, "light", 3.0, 0, 0, null,
                null, null, 0.0, null, null, "haproxy", null, 3));
    }

    private EventSamples() {
    }

    /** The later shapes, by fixture name (see {@link #SHAPES}). */
    public static Map<String, Event> shapes() {
        return java.util.Collections.unmodifiableMap(SHAPES);
    }

    /**
     * A pod with a restart policy whose node failed and waits for its fourth restart, and another that
     * came back after two restarts.
     */
    public static Pod restartingPod() {
        Node waiting = new Node("web-1", "web", NodeState.FAILED, "host-a", null, null, false,
                "exit 1; restart 4 in 80 s", AT, 3, AT.plusSeconds(80), 80_000L);
        Node back = new Node("web-2", "web", NodeState.ONLINE, "host-b", "10.0.0.6", 32772, false, null, AT, 2, null,
                20_000L);
        return new Pod("web", Workload.image("nginx:1.27", 80, "/healthz", "/work"), 0.5, 256, 10, false,
                ElasticityPolicy.disabled(), List.of(waiting, back), EARLIER, 5003, "always");
    }

    /** A pod whose node on a drained host is being replaced by a node on another host. */
    public static Pod drainingPod() {
        Node old = new Node("web-1", "web", NodeState.ONLINE, "host-b", "10.0.0.6", 32772, false, null, EARLIER);
        Node replacement = new Node("web-2", "web", NodeState.STARTING, "host-a", null, null, false, null, AT, null,
                null, null, "web-1");
        return new Pod("web", Workload.image("nginx:1.27", 80, "/healthz", "/work"), 0.5, 256, 10, false,
                ElasticityPolicy.disabled(), List.of(old, replacement), EARLIER, 5003, "always");
    }

    /** The sample of one concrete event type. */
    public static Event of(Class<?> type) {
        Event sample = SAMPLES.get(type);
        if (sample == null) {
            throw new IllegalArgumentException("no sample for " + type.getName());
        }
        return sample;
    }

    public static Map<Class<?>, Event> all() {
        return Map.copyOf(SAMPLES);
    }

    static Stream<Arguments> topicTypes() {
        return Topics.all().stream().flatMap(topic -> concreteTypes(topic).stream()
                .map(type -> Arguments.of(topic, type.getSimpleName(), type)));
    }

    /** The concrete types a topic carries: the sealed interface's permitted records, or the record itself. */
    public static List<Class<?>> concreteTypes(Topics topic) {
        List<Class<?>> out = new ArrayList<>();
        collect(topic.eventType(), out);
        return out;
    }

    private static void collect(Class<?> type, List<Class<?>> out) {
        if (type.isInterface()) {
            if (!type.isSealed()) {
                throw new IllegalStateException(type.getName() + " should be sealed so its types can be listed");
            }
            Arrays.stream(type.getPermittedSubclasses()).forEach(sub -> collect(sub, out));
        } else {
            out.add(type);
        }
    }

    /** A pod with a built-in workload and nodes in several states, as the resource manager stores it. */
    public static Pod samplePod() {
        Node online = Node.registered("light-1", "light", EARLIER).placed("host-a", EARLIER)
                .at("10.0.0.5", 32770).moveTo(NodeState.ONLINE, "health check passed", AT);
        Node fresh = Node.registered("light-2", "light", AT);
        return new Pod("light", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false,
                ElasticityPolicy.disabled().enable(1, 5), List.of(online, fresh), EARLIER);
    }

    private static void add(Event event) {
        SAMPLES.put(event.getClass(), event);
    }

    private static JsonNode object(String field, Object value) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (value instanceof Integer i) {
            node.put(field, i);
        } else {
            node.put(field, String.valueOf(value));
        }
        return node;
    }
}
