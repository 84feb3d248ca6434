package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.balancer.BalancerMeters;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.event.ScalingDecision;
import cms.core.metrics.EventTap;
import cms.core.metrics.ServiceMetrics;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.core.topic.Topics;
import cms.elasticity.ScalingMeters;
import cms.nodedaemon.NodeMeters;
import cms.rm.metrics.CloudStateMeters;
import cms.rm.metrics.JobMeters;
import cms.rm.model.CloudState;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/grafana/cms-pod.json has a dashboard's shape, and every metric its queries name is one the services export:
 * the names are taken from the services' own meters, built here and fed one event of each kind.
 */
class GrafanaBoardTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theBoardIsADashboardThatNamesOnlyMetricsTheServicesExport() throws Exception {
        JsonNode board = GrafanaBoard.read();
        assertEquals(List.of(), GrafanaBoard.problems(board));
        Set<String> named = GrafanaBoard.metricNames(board);
        assertTrue(named.size() >= 10, "the board's queries name the pod page's metrics: " + named);
        Set<String> exported = exported();
        Set<String> unknown = new TreeSet<>(named);
        unknown.removeAll(exported);
        assertEquals(Set.of(), unknown, "named by the board but exported by no service (exported: " + exported + ")");
    }

    @Test
    void metricNamesAreReadFromPromqlWithoutLabelsFunctionsOrKeywords() {
        assertEquals(Set.of("a_total", "b_bucket"), GrafanaBoard.namesIn("sum by (le, pod) (rate(a_total{pod=\"$pod\","
                + "state=~\"X|Y\"}[5m])) / on (pod) histogram_quantile(0.9, b_bucket[1m])"));
    }

    /** Every exposition of the services' meters, each fed one event of every kind it reads. */
    private static Set<String> exported() {
        List<ServiceMetrics> services = new ArrayList<>();
        Node online = new Node("light-1", "light", NodeState.ONLINE, "h1", "10.0.0.1", 20001, false, null, T0);
        CloudState state = new CloudState(Map.of("light", new Pod("light", Workload.builtin(Workload.Builtin.LIGHT), 0.3,
                100, 20, false, ElasticityPolicy.disabled().enable(1, 3), List.of(online), T0)), T0, Map.of());
        ServiceMetrics rm = ServiceMetrics.of(JobMeters::new);
        rm.onScrape(new CloudStateMeters(rm.registry(), () -> state)::refresh);
        rm.tap().published(Topics.JOB_EVENTS, new JobEvent.JobQueued("e1", 1, T0, "j1", "light"));
        rm.tap().published(Topics.JOB_EVENTS, new JobEvent.JobSucceeded("e2", 1, T0.plusSeconds(1), "j1", "light",
                "light-1", null, 900));
        rm.tap().published(Topics.METRICS, new MetricSample.PodSample("s1", 1, T0, "light", null, null, null, null,
                null, null, null, 2, null, MetricSample.PodSample.RESOURCE_MANAGER, 1));
        // the consumer lag, under the name ServiceMetrics keeps of KafkaClientMetrics's (it needs a broker to appear)
        Gauge.builder(ServiceMetrics.KAFKA_LAG, () -> 0).tag("loop", "cms-rm").register(rm.registry());
        services.add(rm);
        ServiceMetrics node = ServiceMetrics.of(r -> new NodeMeters(r, "h1"));
        node.tap().published(Topics.METRICS, new MetricSample.NodeSample("s2", 1, T0, "light-1", "light", 0.4, 64));
        services.add(node);
        ServiceMetrics balancer = ServiceMetrics.of(BalancerMeters::new);
        balancer.tap().published(Topics.METRICS, new MetricSample.PodSample("s3", 1, T0, "light", 3.0, 1, 0, 10.0, 20.0,
                30.0, 0.0, null, 12.0, "embedded"));
        services.add(balancer);
        ServiceMetrics elasticity = ServiceMetrics.of(ScalingMeters::new);
        elasticity.tap().published(Topics.SCALING, new ScalingDecision("d", 1, T0, "light", "cpu", 0.9, 1, 2,
                "cpu 0.9 over the upper threshold 0.8 for 30 s: 1 → 2 nodes"));
        services.add(elasticity);
        services.add(ServiceMetrics.of(r -> EventTap.NONE)); // web: the JVM's and its consumers' lag
        Set<String> out = new TreeSet<>();
        for (ServiceMetrics s : services) {
            out.addAll(GrafanaBoard.exported(s.scrape()));
            s.close();
        }
        return out;
    }
}
