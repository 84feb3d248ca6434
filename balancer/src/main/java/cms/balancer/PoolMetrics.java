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
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each pool's counters into per-second rates and publishes a pod sample every {@link #PERIOD} and one sample
 * per node every second. Each rate is over the last second, a window that slides by the period ({@link CounterRates}),
 * so a step in load shows within half a second and the samples mean what they meant when they came once a second. A
 * pod with nothing to show (no request, error, request in flight, queued or waiting) is sampled once a second, as
 * before: its half-second samples would all say the same.
 */
final class PoolMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PoolMetrics.class);

    /** How often each pod is sampled. */
    static final Duration PERIOD = Duration.ofMillis(500);
    /** How often nodes and idle pods are sampled: a second, less half a period for the loop's own lateness. */
    static final Duration SLOW_PERIOD = Duration.ofSeconds(1).minus(PERIOD.dividedBy(2));

    private final Clock clock;
    private final CounterRates rates = new CounterRates();
    /** When each pod's servers were last sampled, and when each idle pod was (idle in its last sample). */
    private final Map<String, Instant> serversAt = new HashMap<>();
    private final Map<String, Instant> idleAt = new HashMap<>();

    PoolMetrics(Clock clock) {
        this.clock = clock;
    }

    /** {@code room}: the requests held for pods that scale from zero (reported as {@code waiting} for those only). */
    void publish(BalancerBackend backend, Map<String, Pod> pods, WaitingRoom room, EventPublisher publisher) {
        Instant now = clock.instant();
        Set<String> pools = backend.pools();
        for (String name : pools) {
            Pod pod = pods.get(name);
            if (pod == null) {
                continue;
            }
            try {
                PoolStats s = backend.stats(name);
                CounterRates.Rates r = rates.read(name, now, new CounterRates.Counts(s.requests(), s.errors()));
                Integer waiting = ScaleFromZero.holdsRequests(pod.elasticity()) ? room.waiting(name) : null;
                if (!quiet(name, now, r, s, waiting)) {
                    publisher.publish(Topics.METRICS, new MetricSample.PodSample(Ids.next(), 1, now, name, r.requests(),
                            s.sessions(), s.queued(), s.p50Ms(), s.p95Ms(), s.p99Ms(), r.errors(), null,
                            s.meanResponseMs(), backend.name(), null, waiting));
                }
                servers(pod, s, now, publisher);
            } catch (PoolException | RuntimeException e) {
                LOG.debug("pod={} stats not read: {}", name, e.toString());
            }
        }
        rates.retain(key -> pools.contains(key.contains("/") ? key.substring(0, key.indexOf('/')) : key));
        serversAt.keySet().retainAll(pools);
        idleAt.keySet().retainAll(pools);
    }

    /** Whether the pod's sample can be left out: it is idle, like its last one, published less than a second ago. */
    private boolean quiet(String name, Instant now, CounterRates.Rates r, PoolStats s, Integer waiting) {
        boolean idle = r.requests() == 0 && r.errors() == 0 && s.sessions() == 0 && s.queued() == 0
                && (waiting == null || waiting == 0);
        if (!idle) {
            idleAt.remove(name);
            return false;
        }
        Instant last = idleAt.get(name);
        if (last != null && now.isBefore(last.plus(SLOW_PERIOD))) {
            return true;
        }
        idleAt.put(name, now);
        return false;
    }

    /** Reads every server's counters (the rates slide over each reading) and publishes them once a second. */
    private void servers(Pod pod, PoolStats s, Instant now, EventPublisher publisher) {
        Instant last = serversAt.get(pod.name());
        boolean due = last == null || !now.isBefore(last.plus(SLOW_PERIOD));
        if (due) {
            serversAt.put(pod.name(), now);
        }
        for (PoolStats.ServerStats server : s.servers()) {
            String node = nodeAt(pod, server.endpoint());
            if (node == null) {
                continue;
            }
            CounterRates.Rates r = rates.read(pod.name() + "/" + node, now,
                    new CounterRates.Counts(server.responses(), server.errors()));
            if (due) {
                publisher.publish(Topics.METRICS, new MetricSample.ServerSample(Ids.next(), 1, now, node, pod.name(),
                        server.status(), r.requests(), server.sessions(), server.queued(), server.meanResponseMs(),
                        r.errors()));
            }
        }
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
