package cms.web.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.Event;
import cms.core.event.HostEvent;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveStateTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final long WINDOW = Duration.ofMinutes(15).toMillis();
    private int ids;

    static Pod pod(String name, ElasticityPolicy policy, Node... nodes) {
        return new Pod(name, Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false, policy, List.of(nodes),
                T0, 5000);
    }

    static Node node(String name, String pod, NodeState state) {
        return new Node(name, pod, state, "h1", "127.0.0.1", 9000, false, null, T0);
    }

    private String id() {
        return "e" + ++ids;
    }

    private LiveEvent apply(LiveState s, Kind kind, Event e) {
        return s.apply(kind, e, e.at().toEpochMilli(), "{}");
    }

    private MetricSample.NodeSample cpu(String node, String pod, double share, Instant at) {
        return new MetricSample.NodeSample(id(), 1, at, node, pod, share, 50);
    }

    private MetricSample.PodSample jobSample(String pod, int queued, int running, Instant at) {
        return new MetricSample.PodSample(id(), 1, at, pod, null, null, null, null, null, null, null, queued, null,
                MetricSample.PodSample.RESOURCE_MANAGER, running);
    }

    private MetricSample.PodSample traffic(String pod, double rps, Instant at) {
        return new MetricSample.PodSample(id(), 1, at, pod, rps, 1, 0, 5.0, 20.0, 30.0, 0.0, null, 8.0, "balancer");
    }

    @Test
    void eachHostShowsWhetherItTakesNewNodesFromTheCloudsRecord() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        apply(s, Kind.HOSTS, new HostEvent.HostHeartbeat(id(), 1, T0, "h1", "10.0.0.1", 2, 4096, 0.1, 100));
        apply(s, Kind.HOSTS, new HostEvent.HostHeartbeat(id(), 1, T0, "h2", "10.0.0.2", 2, 4096, 0.1, 100));
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("light", ElasticityPolicy.disabled(),
                node("l1", "light", NodeState.ONLINE), node("l2", "light", NodeState.ONLINE))));
        apply(s, Kind.PODS, new PodsRecord.CloudSnapshot(id(), 1, T0, true, T0,
                List.of(new cms.core.model.Cordon("h1", T0, true), new cms.core.model.Cordon("h2", T0, false))));
        assertEquals(List.of("draining (2 left, waiting for room: 2 nodes)", "cordoned"),
                s.overview(T0).hosts().stream().map(Views.HostView::scheduling).toList());
        apply(s, Kind.PODS, new PodsRecord.CloudSnapshot(id(), 1, T0, true, T0));
        assertEquals(List.of("ok", "ok"), s.overview(T0).hosts().stream().map(Views.HostView::scheduling).toList());
    }

    @Test
    void podsNodeCountsTrafficAndJobsMakeTheOverview() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("light", ElasticityPolicy.disabled(),
                node("l1", "light", NodeState.ONLINE), node("l2", "light", NodeState.STARTING),
                node("l3", "light", NodeState.NEW))));
        apply(s, Kind.METRICS, traffic("light", 12.5, T0.plusSeconds(1)));
        apply(s, Kind.METRICS, jobSample("light", 4, 2, T0.plusSeconds(1)));
        apply(s, Kind.METRICS, cpu("l1", "light", 0.5, T0.plusSeconds(1)));
        apply(s, Kind.JOBS, new JobEvent.JobQueued(id(), 1, T0.plusSeconds(1), "j1", "light"));
        apply(s, Kind.JOBS, new JobEvent.JobQueued(id(), 1, T0.plusSeconds(1), "j2", "light"));
        apply(s, Kind.JOBS, new JobEvent.JobRunning(id(), 1, T0.plusSeconds(2), "j1", "light", "l1", 1));
        apply(s, Kind.HOSTS, new HostEvent.HostHeartbeat(id(), 1, T0.plusSeconds(2), "h1", "10.0.0.1", 2, 4096,
                0.7, 1024));

        Views.Overview o = s.overview(T0.plusSeconds(2));
        Views.PodSummary light = o.pods().get(0);
        assertEquals(1L, light.nodes().get("ONLINE"));
        assertEquals(1L, light.nodes().get("STARTING"));
        assertEquals(1L, light.nodes().get("NEW"));
        assertEquals(List.of("l1"), light.onlineNodes());
        assertEquals(12.5, light.requestsPerSecond());
        assertEquals(20.0, light.p95Ms());
        assertEquals(4, light.jobsQueued(), "the resource manager's count, not the job events seen");
        assertEquals(2, light.jobsRunning());
        assertEquals(0.5, light.utilisation());
        assertEquals(List.of("h1"), o.hosts().stream().map(Views.HostView::hostId).toList());
        assertEquals(0.7, o.hosts().get(0).cpuUsed());
        assertEquals("ok", o.hosts().get(0).scheduling());
        assertEquals("b.8." + T0.plusSeconds(2).toEpochMilli(), o.cursor());
        // a traffic sample older than 5 s is not current any more
        assertNull(s.overview(T0.plusSeconds(7)).pods().get(0).requestsPerSecond());
    }

    @Test
    void samplesOutsideTheWindowAreForgottenAndDecisionsKeepTheLastFifty() {
        LiveState s = new LiveState("b", WINDOW, 100_000);
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("p", ElasticityPolicy.disabled()
                .enable(1, 5), node("p1", "p", NodeState.ONLINE))));
        for (int i = 0; i < 60; i++) {
            apply(s, Kind.SCALING, new ScalingDecision(id(), 1, T0.plusSeconds(i), "p", "cpu", 0.9, i, i + 1,
                    "decision " + i));
        }
        for (int i = 0; i < 1200; i++) {
            apply(s, Kind.METRICS, cpu("p1", "p", i % 2 == 0 ? 0.2 : 0.4, T0.plusSeconds(i)));
            apply(s, Kind.METRICS, traffic("p", i, T0.plusSeconds(i)));
        }
        Instant now = T0.plusSeconds(1199);
        s.prune(now);
        Views.PodDetail d = s.pod("p", now);
        assertEquals(901, d.podSamples().size(), "15 minutes of 1 s samples, both ends included");
        assertEquals(now.minus(Duration.ofMinutes(15)), d.podSamples().get(0).at());
        assertEquals(901, d.utilisation().size());
        assertEquals(50, d.decisions().size());
        assertEquals("decision 10", d.decisions().get(0).reason());
        assertEquals("decision 59", d.decisions().get(49).reason());
        assertTrue(s.logSize() <= 2 * 901 + 1, "the resume log keeps the window: " + s.logSize());
    }

    @Test
    void utilisationSeriesIsTheMeanOfEachSecondsSamples() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("p", ElasticityPolicy.disabled(),
                node("a", "p", NodeState.ONLINE), node("b", "p", NodeState.ONLINE))));
        apply(s, Kind.METRICS, cpu("a", "p", 0.2, T0.plusMillis(100)));
        apply(s, Kind.METRICS, cpu("b", "p", 0.6, T0.plusMillis(900)));
        apply(s, Kind.METRICS, cpu("a", "p", 1.0, T0.plusMillis(1100)));
        List<Views.UtilisationPoint> u = s.pod("p", T0.plusSeconds(2)).utilisation();
        assertEquals(2, u.size());
        assertEquals(0.4, u.get(0).value(), 1e-9);
        assertEquals(1.0, u.get(1).value(), 1e-9);
    }

    @Test
    void elasticityStatusHasPolicyMetricNodesTargetAndNewestDecisionsFirst() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        ElasticityPolicy policy = ElasticityPolicy.disabled().enable(1, 4).withUpper(0.7);
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("p", policy,
                node("a", "p", NodeState.ONLINE), node("b", "p", NodeState.ONLINE),
                node("c", "p", NodeState.STARTING), node("d", "p", NodeState.STOPPED))));
        apply(s, Kind.METRICS, cpu("a", "p", 0.9, T0.plusSeconds(9)));
        apply(s, Kind.METRICS, cpu("b", "p", 0.7, T0.plusSeconds(9)));
        apply(s, Kind.METRICS, cpu("c", "p", 0.1, T0.plusSeconds(9))); // STARTING: not in the mean
        apply(s, Kind.METRICS, cpu("a", "p", 0.0, T0.plusSeconds(1))); // older than the smoothing window
        apply(s, Kind.SCALING, new ScalingDecision(id(), 1, T0.plusSeconds(5), "p", "cpu", 0.85, 2, 3, "first"));
        apply(s, Kind.SCALING, new ScalingDecision(id(), 1, T0.plusSeconds(8), "p", "cpu", 0.9, 3, 4, "second"));

        Views.ElasticityStatus st = s.elasticity("p", T0.plusSeconds(10));
        assertEquals("cpu", st.metric());
        assertEquals(0.8, st.value(), 1e-9);
        assertEquals(2, st.online());
        assertEquals(1, st.starting());
        assertEquals(3, st.nodes());
        assertEquals(4, st.target());
        assertEquals(List.of("second", "first"), st.decisions().stream().map(ScalingDecision::reason).toList());
        assertEquals(0.7, st.policy().upperThreshold());
        assertNull(s.elasticity("nope", T0));
    }

    @Test
    void elasticityStatusListsEachFailedNodeWaitingForItsRestartWithTheSecondsLeft() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        Instant now = T0.plusSeconds(100);
        Node waiting = node("a", "p", NodeState.FAILED).restartDue(now.plusMillis(41_200), 80_000,
                "exited with code 1; restart 4 in 80 s");
        waiting = new Node(waiting.name(), waiting.pod(), waiting.state(), waiting.hostId(), null, null, false,
                waiting.reason(), waiting.since(), 3, waiting.restartAt(), waiting.backoffMs());
        Node due = node("b", "p", NodeState.FAILED).restartDue(now.minusSeconds(5), 10_000,
                "exited with code 1; restart 1 waits for a host with room");
        Node never = node("c", "p", NodeState.FAILED).because("exited with code 2");
        Node removing = node("d", "p", NodeState.FAILED).restartDue(now.plusSeconds(10), 10_000, "x").markRemoving();
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("p", ElasticityPolicy.disabled(), waiting, due,
                never, removing, node("e", "p", NodeState.ONLINE))));

        Views.ElasticityStatus st = s.elasticity("p", now);
        assertEquals(List.of(
                new Views.NodeRestart("a", 3, now.plusMillis(41_200), 42, "exited with code 1; restart 4 in 80 s"),
                new Views.NodeRestart("b", 0, now.minusSeconds(5), 0,
                        "exited with code 1; restart 1 waits for a host with room")), st.restarting());
    }

    @Test
    void aRemovedPodLeavesTheOverviewAndNodeCountsAreRecordedWhenTheyChange() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("p", ElasticityPolicy.disabled(),
                node("a", "p", NodeState.STARTING))));
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0.plusSeconds(1), pod("p",
                ElasticityPolicy.disabled(), node("a", "p", NodeState.STARTING)).withPaused(true)));
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0.plusSeconds(2), pod("p",
                ElasticityPolicy.disabled(), node("a", "p", NodeState.ONLINE))));
        List<SizePoint> sizes = s.pod("p", T0.plusSeconds(3)).sizes();
        assertEquals(List.of(new SizePoint(T0, 0, 1, 1), new SizePoint(T0.plusSeconds(2), 1, 0, 1)), sizes);
        assertTrue(s.hasPod("p"));
        LiveEvent gone = apply(s, Kind.PODS, new PodRemoved("t", 1, T0.plusSeconds(3), "p"));
        assertEquals("p", gone.pod());
        assertFalse(s.hasPod("p"));
        assertTrue(s.overview(T0.plusSeconds(3)).pods().isEmpty());
        assertNull(s.pod("p", T0.plusSeconds(3)));
    }

    @Test
    void eventsPageKeepsNodeScalingAndJobEventsFilteredByPodAndKind() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        apply(s, Kind.NODES, new NodeEvent.NodeOnline(id(), 1, T0, "a1", "a", "h1", "127.0.0.1", 9000));
        apply(s, Kind.NODES, new NodeEvent.NodeOnline(id(), 1, T0, "b1", "b", "h1", "127.0.0.1", 9001));
        apply(s, Kind.SCALING, new ScalingDecision(id(), 1, T0, "a", "cpu", 0.9, 1, 2, "grow"));
        apply(s, Kind.JOBS, new JobEvent.JobFailed(id(), 1, T0, "j", "a", "boom"));
        apply(s, Kind.METRICS, cpu("a1", "a", 0.1, T0)); // samples are not events of the events page
        List<Kind> kinds = new ArrayList<>();
        s.events(StreamFilter.parse("a", null), 100).events().forEach(e -> kinds.add(e.kind()));
        assertEquals(List.of(Kind.NODES, Kind.SCALING, Kind.JOBS), kinds);
        assertEquals(1, s.events(StreamFilter.parse(null, "scaling"), 100).events().size());
        assertEquals(2, s.events(StreamFilter.parse(null, "nodes"), 100).events().size());
        assertEquals("b1", ((NodeEvent) s.events(StreamFilter.parse(null, "nodes"), 1).events().get(0).decoded())
                .node(), "the newest within the limit");
    }

    @Test
    void jobsQueuedAndRunningAreTheResourceManagersLatestCurrentSample() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("p", ElasticityPolicy.disabled())));
        apply(s, Kind.METRICS, jobSample("p", 3, 1, T0.plusSeconds(1)));
        apply(s, Kind.METRICS, traffic("p", 7, T0.plusSeconds(2))); // newer, but the balancer's: no job counts
        apply(s, Kind.METRICS, new MetricSample.PodSample(id(), 1, T0.plusSeconds(2), "p", null, null, null, null,
                null, null, null, 99, null, "bench", 99)); // not the resource manager's
        Views.PodSummary p = s.overview(T0.plusSeconds(2)).pods().get(0);
        assertEquals(3, p.jobsQueued());
        assertEquals(1, p.jobsRunning());
        assertEquals(7.0, p.requestsPerSecond());
        apply(s, Kind.METRICS, jobSample("p", 0, 2, T0.plusSeconds(3)));
        assertEquals(0, s.overview(T0.plusSeconds(3)).pods().get(0).jobsQueued());
        Views.PodSummary later = s.overview(T0.plusSeconds(9)).pods().get(0);
        assertNull(later.jobsQueued(), "no sample of the last 5 s: the resource manager is not heard");
        assertNull(later.jobsRunning());
    }

    @Test
    void jobsOfThePodPageAreShownAsTheJobApiShowsThem() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        apply(s, Kind.PODS, new PodsRecord.PodSnapshot(id(), 1, T0, pod("p", ElasticityPolicy.disabled())));
        apply(s, Kind.JOBS, new JobEvent.JobQueued(id(), 1, T0, "j1", "p"));
        apply(s, Kind.JOBS, new JobEvent.JobRunning(id(), 1, T0.plusSeconds(1), "j1", "p", null, 1));
        apply(s, Kind.JOBS, new JobEvent.JobQueued(id(), 1, T0.plusSeconds(2), "j1", "p", null, 2,
                "no node answered", null, null, null));
        apply(s, Kind.JOBS, new JobEvent.JobFailed(id(), 1, T0.plusSeconds(3), "j1", "p", "the workload said no",
                "p-2", 2));
        cms.web.jobs.JobView j = s.pod("p", T0.plusSeconds(3)).jobs().get(0);
        assertEquals("FAILED", j.status());
        assertEquals("p-2", j.node());
        assertEquals(2, j.attempt());
        assertEquals("the workload said no", j.error());
        assertEquals("no node answered", j.lastRetry());
    }

    @Test
    void aJobOfNoPodOrOfAPodThatDoesNotExistIsAnEventOfNoPodPage() {
        LiveState s = new LiveState("b", WINDOW, 10_000);
        apply(s, Kind.JOBS, new JobEvent.JobFailed(id(), 1, T0, "j1", null, "pod: missing"));
        apply(s, Kind.JOBS, new JobEvent.JobFailed(id(), 1, T0, "j2", "ghost", "pod: 'ghost' does not exist"));
        s.prune(T0.plusSeconds(1)); // once failed here: a map of pods sorted by name has no place for null
        assertEquals(2, s.events(StreamFilter.parse(null, "jobs"), 10).events().size());
        assertNull(s.events(StreamFilter.parse(null, "jobs"), 10).events().get(0).pod());
        assertTrue(s.overview(T0.plusSeconds(1)).pods().isEmpty());
        s.prune(T0.plus(Duration.ofMinutes(16)));
        assertEquals(0, s.bufferedPods(), "what is kept about pods that do not exist is forgotten after the window");
    }
}
