package cms.balancer;

import cms.balancer.activator.WaitingRoom;
import cms.core.event.Ids;
import cms.core.event.MetricSample;
import cms.core.kafka.EventPublisher;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.ScaleFromZero;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns each pool's counters into per-second rates and publishes a pod sample and one sample per node. */
final class PoolMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PoolMetrics.class);

    private record Last(Instant at, long requests, long errors) {
    }

    private final Clock clock;
    private final Map<String, Last> last = new HashMap<>();

    PoolMetrics(Clock clock) {
        this.clock = clock;
    }

    /** {@code room}: the requests held for pods that scale from zero (reported as {@code waiting} for those only). */
    void publish(BalancerBackend backend, Map<String, Pod> pods, WaitingRoom room, EventPublisher publisher) {
        Instant now = clock.instant();
        for (String name : backend.pools()) {
            Pod pod = pods.get(name);
            if (pod == null) {
                continue;
            }
            try {
                PoolStats s = backend.stats(name);
                double rps = rate(name, now, s.requests(), Last::requests);
                double eps = rate(name, now, s.errors(), Last::errors);
                last.put(name, new Last(now, s.requests(), s.errors()));
                publisher.publish(Topics.METRICS, new MetricSample.PodSample(Ids.next(), 1, now, name, rps, s.sessions(),
                        s.queued(), s.p50Ms(), s.p95Ms(), s.p99Ms(), eps, null, s.meanResponseMs(), backend.name(), null,
                        ScaleFromZero.holdsRequests(pod.elasticity()) ? room.waiting(name) : null));
                for (PoolStats.ServerStats server : s.servers()) {
                    String node = nodeAt(pod, server.endpoint());
                    if (node == null) {
                        continue;
                    }
                    String key = name + "/" + node;
                    double nodeRps = rate(key, now, server.responses(), Last::requests);
                    double nodeEps = rate(key, now, server.errors(), Last::errors);
                    last.put(key, new Last(now, server.responses(), server.errors()));
                    publisher.publish(Topics.METRICS, new MetricSample.ServerSample(Ids.next(), 1, now, node, name,
                            server.status(), nodeRps, server.sessions(), server.queued(), server.meanResponseMs(),
                            nodeEps));
                }
            } catch (PoolException | RuntimeException e) {
                LOG.debug("pod={} stats not read: {}", name, e.toString());
            }
        }
    }

    private double rate(String key, Instant now, long total, java.util.function.ToLongFunction<Last> field) {
        Last before = last.get(key);
        if (before == null || !now.isAfter(before.at())) {
            return 0;
        }
        double seconds = java.time.Duration.between(before.at(), now).toNanos() / 1e9;
        return Math.max(0, total - field.applyAsLong(before)) / seconds;
    }

    private static String nodeAt(Pod pod, String endpoint) {
        for (Node n : pod.nodes()) {
            boolean inBalancer = n.state() == NodeState.ONLINE || n.state() == NodeState.DRAINING;
            if (inBalancer && n.address() != null && n.port() != null && endpoint.equals(n.address() + ":" + n.port())) {
                return n.name();
            }
        }
        return null;
    }
}
