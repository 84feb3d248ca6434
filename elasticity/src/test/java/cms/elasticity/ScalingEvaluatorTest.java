package cms.elasticity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.Settings;
import cms.core.event.MetricSample;
import cms.core.event.ScalingDecision;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The service's evaluation on a fake clock, one call a second as its loop does, with a hand-made
 * resource manager that applies each decision: new nodes are STARTING for 3 s, removals take the newest.
 */
class ScalingEvaluatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The service's defaults: out after 2 s and 5 s apart, in over 30 s and 15 s after a change, 3 s smoothing. */
    private final ScalingEvaluator evaluator = new ScalingEvaluator(ElasticityConfig.from(new Settings(Map.of(
            "CMS_KAFKA", "localhost:9092"))));
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> decisions = new ArrayList<>();
    private final List<ScalingDecision> made = new ArrayList<>();
    private final List<Integer> startedAt = new ArrayList<>();
    private ElasticityPolicy elasticity;

    private Pod pod(int second) {
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.state() == NodeState.STARTING && second >= startedAt.get(i) + 3) {
                nodes.set(i, new Node(n.name(), "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30000 + i, false, null,
                        T0.plusSeconds(second)));
            }
        }
        return new Pod("jobs", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false, elasticity,
                List.copyOf(nodes), T0);
    }

    /** Evaluates at {@code second} and applies what it decides; returns the pod as it was evaluated. */
    private Pod tick(int second) {
        Pod pod = pod(second);
        for (ScalingDecision d : evaluator.evaluate(Map.of("jobs", pod), T0.plusSeconds(second))) {
            decisions.add(second + ": " + d.reason());
            made.add(d);
            while (nodes.size() < d.toNodes()) {
                nodes.add(new Node("jobs-" + (nodes.size() + 1), "jobs", NodeState.STARTING, "h1", null, null, false,
                        null, T0.plusSeconds(second)));
                startedAt.add(second);
            }
            while (nodes.size() > d.toNodes()) {
                nodes.remove(nodes.size() - 1);
                startedAt.remove(startedAt.size() - 1);
            }
        }
        return pod;
    }

    private static MetricSample.PodSample jobs(int second, int queued, int running) {
        return new MetricSample.PodSample("j" + second, 1, T0.plusSeconds(second), "jobs", null, null, null, null, null,
                null, null, queued, null, "rm", running);
    }

    @Test
    void aQueuePodAtZeroNodesGrowsWhenJobsWaitAndGoesBackToZeroOnceTheQueueWasEmptyForTheWindow() {
        elasticity = new ElasticityPolicy(true, 0, 5, 0.2, 0.8, "target", "queue", 4.0, null);
        for (int s = 0; s <= 70; s++) {
            // 10 jobs wait until the nodes are ONLINE (second 5), are served for 3 s, then nothing is left
            evaluator.add(jobs(s, s < 5 ? 10 : s < 8 ? 4 : 0, s >= 5 && s < 8 ? 3 : 0));
            Pod evaluated = tick(s);
            if (s == 5) {
                assertEquals(3, evaluated.nodes().stream().filter(n -> n.state() == NodeState.ONLINE).count());
            }
        }
        // the 3 s mean of the queue is 0 from second 11; the largest size wanted over the last 30 s is 2
        // from second 37 (3 was wanted until second 6) and 0 from second 41, but the scale-in cool-down
        // holds the second step until 15 s after the first
        assertEquals(List.of("2: queue 10.00 with no node for 2 s: 0 → 3 nodes",
                "37: queue 0.00 vs target 4.00 for the last 30 s: 3 → 2 nodes",
                "52: queue 0.00 vs target 4.00 for the last 30 s: 2 → 0 nodes"), decisions,
                "10 jobs at 4 a node from no node at all; back to 0 once the queue was empty for the window");
        assertEquals(0, nodes.size());
    }

    /** Samples of pods that are not evaluated (elasticity off) are kept only for the smoothing window. */
    @Test
    void samplesOfPodsNotEvaluatedDoNotPileUp() {
        elasticity = ElasticityPolicy.disabled();
        for (int s = 0; s <= 3600; s++) {
            evaluator.add(jobs(s, 1, 0));
            tick(s);
        }
        assertEquals(List.of(), decisions);
        assertTrue(evaluator.samplesKept() <= 4, "kept " + evaluator.samplesKept() + " samples after an hour");
    }

    @Test
    void aQueuePodStaysAtZeroWhileNoJobWaits() {
        elasticity = new ElasticityPolicy(true, 0, 5, 0.2, 0.8, "target", "queue", 4.0, null);
        for (int s = 0; s <= 40; s++) {
            evaluator.add(jobs(s, 0, 0));
            tick(s);
        }
        assertEquals(List.of(), decisions);
    }

    @Test
    void latencyInTargetModeGrowsThePodAndSaysSoInMilliseconds() {
        elasticity = new ElasticityPolicy(true, 1, 6, 0.2, 0.8, "target", "latency", 200.0, null);
        nodes.add(new Node("jobs-1", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30001, false, null, T0));
        nodes.add(new Node("jobs-2", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30002, false, null, T0));
        startedAt.addAll(List.of(0, 0));
        for (int s = 0; s <= 3; s++) {
            evaluator.add(new MetricSample.PodSample("b" + s, 1, T0.plusSeconds(s), "jobs", 40.0, 4, 0, 150.0, 400.0,
                    900.0, 0.0, null, 230.0, "embedded"));
            tick(s);
        }
        assertEquals(List.of("1: fast path: latency 400.00 ≥ 2 × target 200.00 in 2 samples over 2 s: 2 → 4 nodes"),
                decisions, "the p95, not the mean; ⌈2 × 400 / 200⌉; at twice the target, the fast path a second before "
                        + "the normal path's 2 s window");
    }

    @Test
    void withoutSamplesThePodKeepsItsSize() {
        elasticity = new ElasticityPolicy(true, 1, 6, 0.2, 0.8, "target", "rps", 20.0, null);
        nodes.add(new Node("jobs-1", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30001, false, null, T0));
        startedAt.add(0);
        for (int s = 0; s <= 40; s++) {
            evaluator.add(jobs(s, 50, 1)); // job samples say nothing of requests per second
            tick(s);
        }
        assertEquals(List.of(), decisions);
    }

    @Test
    void failedNodesWaitingForTheirRestartCountTowardTheSize() {
        elasticity = new ElasticityPolicy(true, 2, 5, 0.2, 0.8, null, null, null, null);
        // an image that exits at once: both nodes FAILED, to be launched again by the resource manager
        nodes.add(new Node("jobs-1", "jobs", NodeState.FAILED, "h1", null, null, false, "exit 1; restart 3 in 40 s", T0));
        nodes.add(new Node("jobs-2", "jobs", NodeState.FAILED, "h1", null, null, false, "exit 1; restart 3 in 40 s", T0));
        startedAt.addAll(List.of(0, 0));
        for (int s = 0; s <= 40; s++) {
            tick(s);
        }
        assertEquals(List.of(), decisions, "no new node asked for in place of those that will restart");
        nodes.set(1, new Node("jobs-2", "jobs", NodeState.FAILED, "h1", null, null, true, "exit 1", T0));
        tick(41);
        assertEquals(List.of("41: 1 nodes is outside [2, 5]: 1 → 2 nodes"), decisions, "one being removed does not count");
    }

    /** Balancer and node samples of a pod whose nodes each serve 20 req/s at their full CPU share. */
    private void serve(int second, double rate, Pod pod) {
        List<Node> online = pod.nodes().stream().filter(n -> n.state() == NodeState.ONLINE).toList();
        for (Node n : online) {
            evaluator.add(new MetricSample.NodeSample("n" + second + n.name(), 1, T0.plusSeconds(second), n.name(), "jobs",
                    Math.min(1, rate / (online.size() * 20.0)), 100));
        }
        evaluator.add(new MetricSample.PodSample("b" + second, 1, T0.plusSeconds(second), "jobs", rate, 1, 0, null, null,
                null, 0.0, null, 5.0, "haproxy"));
    }

    @Test
    void demandModeSizesFromTheRequestRateOverTheLearnedCapacityPastASaturatedCpu() {
        elasticity = new ElasticityPolicy(true, 1, 12, 0.2, 0.8, "demand", null, null, null);
        nodes.add(new Node("jobs-1", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30001, false, null, T0.minusSeconds(60)));
        nodes.add(new Node("jobs-2", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30002, false, null, T0.minusSeconds(60)));
        startedAt.addAll(List.of(0, 0));
        for (int s = 0; s <= 100; s++) {
            // 20 req/s (2 nodes at 0.5: 20 req/s a node at full CPU), 100 req/s from second 10, 40 from second 40
            serve(s, s < 10 ? 20 : s < 40 ? 100 : 40, pod(s));
            tick(s);
        }
        String all = String.join("\n", decisions);
        assertTrue(decisions.get(0).startsWith("11: fast path: cpu 1.00 saturated (100.0 req/s: 7 nodes at 0.80)")
                && decisions.get(0).endsWith(": 2 → 7 nodes"), "the samples of seconds 10 and 11 (two in a row) saturate: the CPU says 3 at least; the rate says ⌈100 / 20 / 0.8⌉ = 7 (the default set-point):\n" + all);
        assertEquals("cpu", made.get(0).metric());
        assertTrue(made.stream().mapToInt(ScalingDecision::toNodes).max().getAsInt() <= 9, "at most one node for the "
                + "trend the step leaves in the last 30 s:\n" + all);
        ScalingDecision lastOne = made.get(made.size() - 1);
        assertEquals(3, lastOne.toNodes(), "⌈40 × 1.06 / 20 / 0.8⌉ = 3 (what a node serves is learned again meanwhile; "
                + "room for a step of 2 % a second of the 3 s start-up):\n" + all);
        assertTrue(lastOne.reason().startsWith("40.0 req/s") && lastOne.reason().contains(" for the last 5 s"), "the "
                + "fall below half the window's mean is followed over a 5 s window, not the 30 s one:\n" + all);
        assertTrue(lastOne.at().isBefore(T0.plusSeconds(56)), "3 nodes within 15 s of the fall:\n" + all);
        assertEquals("demand", lastOne.metric());
        assertEquals(40, lastOne.value(), 1e-9, "a demand decision's value is the pod's request rate");
        assertEquals(3, nodes.size());
    }

    @Test
    void demandModeLearnsNothingFromNodesStillWarmingUp() {
        elasticity = new ElasticityPolicy(true, 1, 12, 0.2, 0.8, "demand", null, null, null);
        nodes.add(new Node("jobs-1", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30001, false, null, T0));
        startedAt.add(0);
        for (int s = 0; s <= 20; s++) {
            // the node's first 10 s: its runtime's own start takes 0.75 of the CPU at 1 request/s (that would read as
            // 1.3 requests/s a node); then 0.1 at 1 request/s (10 a node); from second 16, 20 requests/s saturate it
            double cpu = s < 10 ? 0.75 : s < 16 ? 0.1 : 1.0;
            evaluator.add(new MetricSample.NodeSample("n" + s, 1, T0.plusSeconds(s), "jobs-1", "jobs", cpu, 100));
            evaluator.add(new MetricSample.PodSample("b" + s, 1, T0.plusSeconds(s), "jobs", s < 16 ? 1.0 : 20.0, 1, 0,
                    null, null, null, 0.0, null, 5.0, "haproxy"));
            tick(s);
        }
        assertEquals(1, decisions.size(), String.join("\n", decisions));
        assertTrue(decisions.get(0).contains("saturated (20.0 req/s: 3 nodes at 0.80)")
                && decisions.get(0).endsWith("1 → 3 nodes"), "⌈20 / 10 / 0.8⌉ from what the warm node showed (the "
                + "warm-up's 1.3 a node would have asked for 6): " + decisions.get(0));
    }

    @Test
    void whatANodeServesIsKeptWhenTheBoundsChange() {
        elasticity = new ElasticityPolicy(true, 1, 1, 0.2, 0.8, "demand", null, 0.7, null);
        nodes.add(new Node("jobs-1", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30001, false, null,
                T0.minusSeconds(60)));
        startedAt.add(0);
        for (int s = 0; s <= 20; s++) {
            serve(s, s < 10 ? 10 : 30, pod(s)); // learned at 10 req/s (0.5 of one node), then 30: held at MAX 1
            tick(s);
        }
        assertEquals(List.of(), decisions);
        elasticity = elasticity.enable(1, 6);
        for (int s = 21; s <= 24; s++) {
            serve(s, 30, pod(s));
            tick(s);
        }
        assertTrue(!decisions.isEmpty() && decisions.get(0).endsWith("1 → 3 nodes")
                && decisions.get(0).contains("(30.0 req/s: 3 nodes at 0.70)"), "⌈30 / 20 / 0.7⌉ = 3 at once from what was "
                + "learned under MAX 1: " + decisions);
    }

    @Test
    void anEvaluationOfTheSampledPodsDecidesForThoseOnlyAndAWholeOneForEveryPod() {
        ElasticityPolicy e = new ElasticityPolicy(true, 2, 5, 0.2, 0.8, "target", "rps", 20.0, null);
        Map<String, Pod> pods = Map.of(
                "a", new Pod("a", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false, e, List.of(), T0),
                "b", new Pod("b", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false, e, List.of(), T0));
        List<String> first = evaluator.evaluate(pods, T0, new EvaluationSchedule.Due(Set.of("a"), false)).stream()
                .map(ScalingDecision::pod).toList();
        assertEquals(List.of("a"), first, "below its MIN, but only the sampled pod is looked at");
        List<String> whole = evaluator.evaluate(pods, T0.plusSeconds(1)).stream().map(ScalingDecision::pod).sorted()
                .toList();
        assertEquals(List.of("a", "b"), whole, "a whole evaluation looks at every pod");
    }

    @Test
    void whatIsKeptOfEveryPodIsLookedAfterOnceATickNotAtEachSample() {
        elasticity = ElasticityPolicy.disabled();
        Pod jobs = pod(0);
        Map<String, Pod> withGone = Map.of("jobs", jobs, "gone", new Pod("gone", Workload.builtin(
                Workload.Builtin.LIGHT), 0.3, 100, 20, false, ElasticityPolicy.disabled(), List.of(), T0));
        evaluator.add(rate(T0, 20));
        evaluator.add(new MetricSample.PodSample("g", 1, T0, "gone", 5.0, 1, 0, null, null, null, 0.0, null, 5.0,
                "haproxy"));
        evaluator.evaluate(withGone, T0);
        assertEquals(2, evaluator.samplesKept());
        Map<String, Pod> without = Map.of("jobs", jobs); // "gone" is deleted; its sample stays until the next tick
        for (int ms = 100; ms < 1000; ms += 100) {
            evaluator.add(rate(T0.plusMillis(ms), 20));
            evaluator.evaluate(without, T0.plusMillis(ms), new EvaluationSchedule.Due(Set.of("jobs"), false));
        }
        assertEquals(11, evaluator.samplesKept(), "nine sample turns forgot nothing, pruned nothing");
        evaluator.evaluate(without, T0.plusSeconds(1), new EvaluationSchedule.Due(Set.of("jobs"), true));
        assertEquals(10, evaluator.samplesKept(), "the tick forgot the pod that is gone");
        evaluator.evaluate(without, T0.plusSeconds(60), new EvaluationSchedule.Due(Set.of(), false));
        assertEquals(10, evaluator.samplesKept(), "a sample turn a minute later prunes nothing …");
        evaluator.evaluate(without, T0.plusSeconds(60), new EvaluationSchedule.Due(Set.of(), true));
        assertEquals(0, evaluator.samplesKept(), "… the tick does");
    }

    @Test
    void theFastPathFiresOnTheSecondOfTwoSamplesInARowWhateverEvaluationsComeBetween() {
        elasticity = new ElasticityPolicy(true, 1, 12, 0.2, 0.8, "target", "rps", 20.0, null);
        nodes.add(new Node("jobs-1", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30001, false, null, T0));
        nodes.add(new Node("jobs-2", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30002, false, null, T0));
        Pod pod = pod(0);
        for (int s = 0; s < 10; s++) {
            evaluator.add(rate(T0.plusSeconds(s), 20));
            assertEquals(List.of(), evaluator.evaluate(Map.of("jobs", pod), T0.plusSeconds(s).plusMillis(20)));
        }
        // 200 req/s from the sample of second 10: 100 a node, five times the target
        evaluator.add(rate(T0.plusSeconds(10), 200));
        for (int ms : new int[] {10_020, 10_500, 11_010}) {
            // the sample's arrival, a tick between samples, a tick just before the next sample comes: one reading
            assertEquals(List.of(), evaluator.evaluate(Map.of("jobs", pod), T0.plusMillis(ms)), "at " + ms + " ms");
        }
        evaluator.add(rate(T0.plusMillis(10_995), 200)); // the next sample, measured 5 ms early
        List<ScalingDecision> d = evaluator.evaluate(Map.of("jobs", pod), T0.plusMillis(11_015));
        assertEquals(1, d.size(), d::toString);
        assertTrue(d.get(0).reason().startsWith("fast path: "), d.get(0).reason());
        assertEquals(10, d.get(0).toNodes(), "200 req/s at 20 a node: " + d.get(0).reason());
    }

    /**
     * A balancer's samples every {@code periodMs}, each the rate over the second before it, of a load that steps from
     * 40 to {@code to} req/s at 9.8 s on 2 nodes (target 20 a node); evaluated as each sample is read. The first
     * decision, as "ms: reason".
     */
    private static String firstDecision(int periodMs, double to) {
        ScalingEvaluator fresh = new ScalingEvaluator(ElasticityConfig.from(new Settings(Map.of(
                "CMS_KAFKA", "localhost:9092"))));
        Pod pod = new Pod("jobs", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false,
                new ElasticityPolicy(true, 1, 12, 0.2, 0.8, "target", "rps", 20.0, null),
                List.of(new Node("jobs-1", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30001, false, null, T0),
                        new Node("jobs-2", "jobs", NodeState.ONLINE, "h1", "127.0.0.1", 30002, false, null, T0)), T0);
        for (int ms = periodMs; ms <= 30_000; ms += periodMs) {
            double loaded = Math.min(1, Math.max(0, (ms - 9_800) / 1000.0)); // of the second before the sample
            fresh.add(rate(T0.plusMillis(ms), 40 + (to - 40) * loaded));
            List<ScalingDecision> d = fresh.evaluate(Map.of("jobs", pod), T0.plusMillis(ms + 20));
            if (!d.isEmpty()) {
                return ms + 20 + ": " + d.get(0).reason();
            }
        }
        return "none";
    }

    @Test
    void withSamplesEveryHalfSecondTheFastPathFiresHalfASecondAfterTheFirstThatShowsTheStep() {
        // 10.5 s: (40 + 160 × 0.7) / 2 = 76 a node, the first at twice the target (40); 11 s: 100 a node
        assertEquals("11020: fast path: rps 100.00 ≥ 2 × target 20.00 in 2 samples over 1.5 s: 2 → 10 nodes",
                firstDecision(500, 200));
        assertEquals("12020: fast path: rps 100.00 ≥ 2 × target 20.00 in 2 samples over 2 s: 2 → 10 nodes",
                firstDecision(1000, 200), "once a second: 10 s shows 36 a node, 11 s and 12 s the step");
    }

    @Test
    void theNormalPathIsAsCalmWithSamplesEveryHalfSecond() {
        // 70 req/s: 35 a node, over the target but under twice it: the normal path's 3 s mean and 2 s window
        String half = firstDecision(500, 70);
        String whole = firstDecision(1000, 70);
        assertTrue(half.endsWith("for 2 s: 2 → 4 nodes") && whole.endsWith("for 2 s: 2 → 4 nodes"), half + "\n" + whole);
        int halfAt = Integer.parseInt(half.substring(0, half.indexOf(':')));
        int wholeAt = Integer.parseInt(whole.substring(0, whole.indexOf(':')));
        assertTrue(halfAt >= 11_800 && Math.abs(halfAt - wholeAt) <= 500, "the step at 9.8 s: " + half + "\n" + whole);
    }

    private static MetricSample.PodSample rate(Instant at, double requestsPerSecond) {
        return new MetricSample.PodSample("r" + at.toEpochMilli(), 1, at, "jobs", requestsPerSecond, 1, 0, null, null,
                null, 0.0, null, 5.0, "haproxy");
    }
}
