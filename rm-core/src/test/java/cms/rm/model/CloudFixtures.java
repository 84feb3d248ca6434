package cms.rm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.AdminRequest;
import cms.core.event.HostEvent;
import cms.core.event.NodeEvent;
import cms.core.model.Host;
import cms.core.model.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/** Builders for requests, events and states shared by the cms.rm.model tests. Time is fixed at {@link #T0}. */
final class CloudFixtures {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final Duration LIVENESS = Duration.ofSeconds(5);
    static final double OVERCOMMIT = 4.0;
    static final Placement PLACEMENT = new Placement(LIVENESS, OVERCOMMIT);
    static final AdminDecisions DECISIONS = new AdminDecisions(PLACEMENT);

    private static final AtomicInteger SEQ = new AtomicInteger();

    private CloudFixtures() {
    }

    static String id() {
        return "evt-" + SEQ.incrementAndGet();
    }

    static Outcome decide(CloudState state, AdminRequest request) {
        return DECISIONS.decide(state, request, T0);
    }

    /** Applies the request, asserts it was accepted (2xx), and returns the outcome. */
    static Outcome accepted(CloudState state, AdminRequest request) {
        Outcome o = decide(state, request);
        assertTrue(o.reply().status() < 300, () -> "expected success for " + request + " but got " + o.reply());
        return o;
    }

    /** Applies each request in turn, each of which must be accepted, and returns the final state. */
    static CloudState given(CloudState state, AdminRequest... requests) {
        CloudState s = state;
        for (AdminRequest r : requests) {
            s = accepted(s, r).state();
        }
        return s;
    }

    static CloudState given(AdminRequest... requests) {
        return given(CloudState.empty(), requests);
    }

    /** Asserts a refusal: its status and field, the state untouched, no snapshots, tombstones or commands. */
    static Outcome assertRefused(CloudState before, Outcome o, int status, String field) {
        assertEquals(status, o.reply().status(), () -> "reply " + o.reply());
        assertEquals(field, o.reply().field(), () -> "reply " + o.reply());
        assertNull(o.reply().body());
        assertTrue(o.state() == before || o.state().equals(before), "a refused request changed the state");
        assertTrue(o.changedPods().isEmpty(), "a refused request changed pods");
        assertTrue(o.removedPods().isEmpty(), "a refused request removed pods");
        assertTrue(o.commands().isEmpty(), "a refused request produced commands");
        assertFalse(o.cloudChanged());
        return o;
    }

    static Outcome refused(CloudState before, AdminRequest request, int status, String field) {
        return assertRefused(before, decide(before, request), status, field);
    }

    static Node node(CloudState state, String pod, String node) {
        return state.requirePod(pod).node(node).orElseThrow(() -> new AssertionError("no node " + node));
    }

    // ---- admin requests ----

    static AdminRequest.InitCloud init() {
        return new AdminRequest.InitCloud(id(), 1, T0);
    }

    static AdminRequest.RegisterPod pod(String name) {
        return new AdminRequest.RegisterPod(id(), 1, T0, name, null, null, null, null, null, null, null, null);
    }

    static AdminRequest.RegisterPod pod(String name, String workload) {
        return new AdminRequest.RegisterPod(id(), 1, T0, name, workload, null, null, null, null, null, null, null);
    }

    static AdminRequest.RegisterPod pod(String name, double cpu, int memoryMb, int nodeLimit) {
        return new AdminRequest.RegisterPod(id(), 1, T0, name, null, null, null, null, null, cpu, memoryMb,
                nodeLimit);
    }

    static AdminRequest.RegisterPod limits(String name, Double cpu, Integer memoryMb, Integer nodeLimit) {
        return new AdminRequest.RegisterPod(id(), 1, T0, name, null, null, null, null, null, cpu, memoryMb,
                nodeLimit);
    }

    static AdminRequest.RegisterPod imagePod(String name, String workload, String image, Integer port,
                                            String healthPath, String jobPath) {
        return new AdminRequest.RegisterPod(id(), 1, T0, name, workload, image, port, healthPath, jobPath, null,
                null, null);
    }

    static AdminRequest.RegisterPod restarting(String name, String restartPolicy) {
        return new AdminRequest.RegisterPod(id(), 1, T0, name, null, null, null, null, null, null, null, null, null,
                restartPolicy);
    }

    static AdminRequest.RemovePod removePod(String name, boolean force) {
        return new AdminRequest.RemovePod(id(), 1, T0, name, force);
    }

    static AdminRequest.RegisterNode register(String pod, String node) {
        return new AdminRequest.RegisterNode(id(), 1, T0, pod, node);
    }

    static AdminRequest.RemoveNode removeNode(String pod, String node) {
        return new AdminRequest.RemoveNode(id(), 1, T0, pod, node);
    }

    static AdminRequest.Launch launch(String pod) {
        return new AdminRequest.Launch(id(), 1, T0, pod);
    }

    static AdminRequest.Pause pause(String pod) {
        return new AdminRequest.Pause(id(), 1, T0, pod);
    }

    static AdminRequest.Resume resume(String pod) {
        return new AdminRequest.Resume(id(), 1, T0, pod);
    }

    static AdminRequest.EnableElasticity enable(String pod, int min, int max) {
        return new AdminRequest.EnableElasticity(id(), 1, T0, pod, min, max);
    }

    static AdminRequest.DisableElasticity disable(String pod) {
        return new AdminRequest.DisableElasticity(id(), 1, T0, pod);
    }

    static AdminRequest.SetThreshold lower(String pod, double value) {
        return new AdminRequest.SetThreshold(id(), 1, T0, pod, AdminRequest.Threshold.LOWER, value);
    }

    static AdminRequest.SetThreshold upper(String pod, double value) {
        return new AdminRequest.SetThreshold(id(), 1, T0, pod, AdminRequest.Threshold.UPPER, value);
    }

    // ---- hosts and observed events ----

    static Host host(String id, double cpuCores, long memoryMb) {
        return new Host(id, "10.0.0." + Math.abs(id.hashCode() % 250), cpuCores, memoryMb, T0);
    }

    static Host host(String id, double cpuCores, long memoryMb, Instant lastSeen) {
        return new Host(id, "10.0.0.9", cpuCores, memoryMb, lastSeen);
    }

    static CloudState withHosts(CloudState state, Host... hosts) {
        CloudState s = state;
        for (Host h : hosts) {
            s = s.withHost(h);
        }
        return s;
    }

    static NodeEvent.NodeStarting starting(String pod, String node) {
        return new NodeEvent.NodeStarting(id(), 1, T0, node, pod, "h1");
    }

    static NodeEvent.NodeOnline online(String pod, String node, String address, int port) {
        return new NodeEvent.NodeOnline(id(), 1, T0, node, pod, "h1", address, port);
    }

    static NodeEvent.NodeFailed failed(String pod, String node, String reason) {
        return new NodeEvent.NodeFailed(id(), 1, T0, node, pod, "h1", reason, 137);
    }

    static NodeEvent.NodeStopped stopped(String pod, String node) {
        return new NodeEvent.NodeStopped(id(), 1, T0, node, pod, "h1");
    }

    static NodeEvent.NodeDrained drained(String pod, String node) {
        return new NodeEvent.NodeDrained(id(), 1, T0, node, pod);
    }

    static HostEvent.HostJoined joined(String host, Instant at, double cpu, long memoryMb) {
        return new HostEvent.HostJoined(id(), 1, at, host, "10.1.0.1", cpu, memoryMb);
    }

    /**
     * Registers pod {@code name} with {@code launched} nodes {@code NAME-1..}, all launched on host h1 (added
     * when missing), of which the first {@code online} are then observed ONLINE.
     */
    static CloudState podWithNodes(CloudState state, String name, int launched, int online) {
        CloudState s = given(state, pod(name));
        if (!s.hosts().containsKey("h1")) {
            s = withHosts(s, host("h1", 64, 65536));
        }
        for (int i = 1; i <= launched; i++) {
            s = given(s, register(name, name + "-" + i), launch(name));
        }
        for (int i = 1; i <= online; i++) {
            s = observed(s, T0, online(name, name + "-" + i, "10.0.0.1", 30000 + i));
        }
        return s;
    }

    /** Applies observed node events in turn at {@code now}. */
    static CloudState observed(CloudState state, Instant now, NodeEvent... events) {
        CloudState s = state;
        for (NodeEvent e : events) {
            s = ObservedDecisions.apply(s, e, now).state();
        }
        return s;
    }
}
