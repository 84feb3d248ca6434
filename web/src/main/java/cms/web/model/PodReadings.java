package cms.web.model;

import cms.core.event.MetricSample;
import cms.core.event.ScalingDecision;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Pure readings of one pod's buffers: current values, per-second series and the elasticity status. */
final class PodReadings {

    /** Over how much of the recent past "current" CPU is averaged (the elasticity service's default smoothing). */
    static final Duration SMOOTHING = Duration.ofSeconds(3);
    /** How old a traffic sample may be and still count as current. */
    static final Duration FRESH = Duration.ofSeconds(5);
    private static final int DECISIONS_SHOWN = 10;

    private PodReadings() {
    }

    static Views.PodSummary summary(Pod pod, PodBuffers b, Instant now) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (NodeState s : NodeState.values()) {
            counts.put(s.name(), pod.count(s));
        }
        MetricSample.PodSample traffic = b == null ? null : latest(b, now, PodReadings::traffic);
        MetricSample.PodSample jobs = b == null ? null : latest(b, now, PodReadings::jobs);
        List<String> online = pod.nodes().stream().filter(n -> n.state() == NodeState.ONLINE).map(Node::name).toList();
        return new Views.PodSummary(pod.name(), pod.workload().describe(), pod.paused(), counts, online,
                pod.elasticity(), pod.frontendPort(), traffic == null ? null : traffic.requestsPerSecond(),
                traffic == null ? null : traffic.p95Ms(), traffic == null ? null : traffic.meanResponseMs(),
                jobs == null ? null : jobs.jobQueueDepth(), jobs == null ? null : jobs.jobsRunning(),
                b == null ? null : boxed(utilisation(pod, b, now)));
    }

    /** A balancer's sample of the pod's traffic. */
    static boolean traffic(MetricSample.PodSample s) {
        return s.requestsPerSecond() != null;
    }

    /** The resource manager's sample of the pod's jobs: its queue depth and the jobs running. */
    static boolean jobs(MetricSample.PodSample s) {
        return MetricSample.PodSample.RESOURCE_MANAGER.equals(s.source()) && s.jobQueueDepth() != null;
    }

    /** The newest sample of the last {@link #FRESH} that is {@code wanted}, or null. */
    static MetricSample.PodSample latest(PodBuffers b, Instant now, Predicate<MetricSample.PodSample> wanted) {
        List<MetricSample.PodSample> all = b.podSamples.toList();
        for (int i = all.size() - 1; i >= 0; i--) {
            MetricSample.PodSample s = all.get(i);
            if (s.at().isBefore(now.minus(FRESH))) {
                return null;
            }
            if (wanted.test(s)) {
                return s;
            }
        }
        return null;
    }

    /** Mean over ONLINE nodes of each one's mean CPU share over the smoothing window; empty without samples. */
    static OptionalDouble utilisation(Pod pod, PodBuffers b, Instant now) {
        Instant from = now.minus(SMOOTHING);
        double sum = 0;
        int nodes = 0;
        for (Node n : pod.nodes()) {
            Ring<MetricSample.NodeSample> ring = b.nodeSamples.get(n.name());
            if (n.state() != NodeState.ONLINE || ring == null) {
                continue;
            }
            OptionalDouble mean = ring.toList().stream().filter(s -> !s.at().isBefore(from))
                    .mapToDouble(MetricSample.NodeSample::cpuShare).average();
            if (mean.isPresent()) {
                sum += mean.getAsDouble();
                nodes++;
            }
        }
        return nodes == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / nodes);
    }

    private static Double boxed(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : null;
    }

    /** Per second of the window: the mean CPU share of the node samples taken in that second. */
    static List<Views.UtilisationPoint> utilisationSeries(PodBuffers b) {
        Map<Long, double[]> bySecond = new TreeMap<>();
        for (Ring<MetricSample.NodeSample> ring : b.nodeSamples.values()) {
            for (MetricSample.NodeSample s : ring.toList()) {
                double[] acc = bySecond.computeIfAbsent(s.at().getEpochSecond(), k -> new double[2]);
                acc[0] += s.cpuShare();
                acc[1]++;
            }
        }
        List<Views.UtilisationPoint> out = new ArrayList<>();
        bySecond.forEach((sec, acc) -> out.add(new Views.UtilisationPoint(Instant.ofEpochSecond(sec),
                acc[0] / acc[1])));
        return out;
    }

    static List<Views.NodeRow> nodeRows(Pod pod, PodBuffers b) {
        List<Views.NodeRow> rows = new ArrayList<>();
        for (Node n : pod.nodes()) {
            Ring<MetricSample.NodeSample> ns = b.nodeSamples.get(n.name());
            Ring<MetricSample.ServerSample> ss = b.serverSamples.get(n.name());
            MetricSample.NodeSample node = ns == null ? null : ns.last();
            MetricSample.ServerSample server = ss == null ? null : ss.last();
            rows.add(new Views.NodeRow(n, node == null ? null : node.cpuShare(), node == null ? null : node.memoryMb(),
                    server == null ? null : server.requestsPerSecond(), server == null ? null : server.sessions(),
                    server == null ? null : server.status()));
        }
        return rows;
    }

    static Views.ElasticityStatus elasticity(Pod pod, PodBuffers b, Instant now) {
        ElasticityPolicy policy = pod.elasticity();
        String metric = policy.metricOrDefault();
        long online = pod.nodes().stream().filter(n -> n.state() == NodeState.ONLINE && !n.removing()).count();
        long starting = pod.nodes().stream().filter(n -> n.state() == NodeState.STARTING && !n.removing()).count();
        long live = pod.nodes().stream().filter(n -> n.state() != NodeState.STOPPED && !n.removing()).count();
        Double value;
        if (metric.equals("rps")) {
            MetricSample.PodSample s = latest(b, now, PodReadings::traffic);
            value = s == null || online == 0 ? null : s.requestsPerSecond() / online;
        } else {
            value = boxed(utilisation(pod, b, now));
        }
        List<ScalingDecision> all = b.decisions.toList();
        List<ScalingDecision> last = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && last.size() < DECISIONS_SHOWN; i--) {
            last.add(all.get(i));
        }
        Integer target = last.isEmpty() || !policy.enabled() ? null : last.get(0).toNodes();
        List<Views.NodeRestart> restarting = pod.nodes().stream().map(n -> Views.NodeRestart.of(n, now))
                .filter(java.util.Objects::nonNull).toList();
        return new Views.ElasticityStatus(pod.name(), policy, metric, value, online, starting, live, target, last,
                restarting);
    }
}
