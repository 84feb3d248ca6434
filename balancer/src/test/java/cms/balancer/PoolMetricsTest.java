package cms.balancer;

import cms.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import cms.core.codec.EventCodec;
import cms.core.event.MetricSample;
import cms.core.kafka.EventPublisher;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counters become per-second rates over the last second (sampled every half second); one pod sample, one sample per
 * known node once a second.
 */
class PoolMetricsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final EventCodec codec = new EventCodec();
    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final EventPublisher publisher = new EventPublisher(producer, codec);
    private final MutableClock clock = new MutableClock(T0);
    private final FakeBalancerBackend backend = new FakeBalancerBackend();
    private final PoolMetrics metrics = new PoolMetrics(clock);
    private final Map<String, Pod> pods = Map.of("web", pod("web",
            node("web-1", NodeState.ONLINE, "10.0.0.5", 9001), node("web-2", NodeState.DRAINING, "10.0.0.6", 9002)));

    private static Node node(String name, NodeState state, String address, int port) {
        return new Node(name, "web", state, "host-1", address, port, false, null, T0);
    }

    private static Pod pod(String name, Node... nodes) {
        return new Pod(name, Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false,
                ElasticityPolicy.disabled(), List.of(nodes), T0, 18080);
    }

    private static PoolStats.ServerStats server(String slot, String endpoint, long responses, long errors) {
        return new PoolStats.ServerStats(slot, endpoint, "UP", responses, errors, 2, 1, 12.0);
    }

    private void stats(long requests, long errors, PoolStats.ServerStats... servers) {
        backend.stats.put("web", new PoolStats(requests, errors, 3, 1, 15.0, null, null, null, List.of(servers)));
    }

    private List<MetricSample> publish() throws Exception {
        int before = producer.history().size();
        metrics.publish(backend, pods, new cms.balancer.activator.WaitingRoom(), publisher);
        List<MetricSample> out = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : producer.history().subList(before, producer.history().size())) {
            assertEquals("metrics", r.topic());
            MetricSample sample = codec.decode(r.value(), MetricSample.class);
            assertEquals(sample.key(), r.key());
            out.add(sample);
        }
        return out;
    }

    @BeforeEach
    void pool() {
        backend.ensurePool(new PoolSpec("web", "127.0.0.1", 18080, "/health", 5));
    }

    @Test
    void firstPublishHasRateZeroThenRatesAreTheDifferencePerSecond() throws Exception {
        stats(1000, 10, server("s1", "10.0.0.5:9001", 600, 4));
        List<MetricSample> first = publish();
        assertEquals(2, first.size());
        MetricSample.PodSample pod = assertInstanceOf(MetricSample.PodSample.class, first.get(0));
        assertEquals(0.0, pod.requestsPerSecond());
        assertEquals(0.0, pod.errorsPerSecond());
        assertEquals(T0, pod.at());
        MetricSample.ServerSample node = assertInstanceOf(MetricSample.ServerSample.class, first.get(1));
        assertEquals(0.0, node.requestsPerSecond());

        clock.advance(Duration.ofSeconds(2));
        stats(1100, 14, server("s1", "10.0.0.5:9001", 640, 5));
        List<MetricSample> second = publish();
        pod = assertInstanceOf(MetricSample.PodSample.class, second.get(0));
        assertEquals(50.0, pod.requestsPerSecond(), 1e-9);
        assertEquals(2.0, pod.errorsPerSecond(), 1e-9);
        assertEquals(T0.plusSeconds(2), pod.at());
        node = assertInstanceOf(MetricSample.ServerSample.class, second.get(1));
        assertEquals(20.0, node.requestsPerSecond(), 1e-9);
        assertEquals(0.5, node.errorsPerSecond(), 1e-9);
    }

    @Test
    void podSampleCarriesWhatIsInFlightAndTheBackendsName() throws Exception {
        stats(5, 0);
        MetricSample.PodSample pod = assertInstanceOf(MetricSample.PodSample.class, publish().get(0));
        assertEquals("web", pod.pod());
        assertEquals(3, pod.inFlight());
        assertEquals(1, pod.queued());
        assertEquals(15.0, pod.meanResponseMs());
        assertNull(pod.p95Ms());
        assertNull(pod.jobQueueDepth());
        assertEquals("fake", pod.source());
    }

    @Test
    void serverSampleOnlyForSlotsPointingAtANodeOfThePod() throws Exception {
        stats(0, 0, server("s1", "10.0.0.5:9001", 1, 0), server("s2", "10.9.9.9:9001", 1, 0),
                server("s3", "10.0.0.6:9002", 1, 0), server("s4", "127.0.0.1:1", 0, 0));
        List<MetricSample> samples = publish();
        assertEquals(3, samples.size());
        MetricSample.ServerSample a = assertInstanceOf(MetricSample.ServerSample.class, samples.get(1));
        MetricSample.ServerSample b = assertInstanceOf(MetricSample.ServerSample.class, samples.get(2));
        assertEquals(List.of("web-1", "web-2"), List.of(a.node(), b.node()));
        assertEquals("web", a.pod());
        assertEquals("UP", a.status());
        assertEquals(2, a.sessions());
        assertEquals(1, a.queued());
        assertEquals(12.0, a.meanResponseMs());
    }

    @Test
    void counterThatWentBackwardsGivesRateZeroNotNegative() throws Exception {
        stats(1000, 50);
        publish();
        clock.advance(Duration.ofSeconds(1));
        stats(10, 0);
        MetricSample.PodSample pod = assertInstanceOf(MetricSample.PodSample.class, publish().get(0));
        assertEquals(0.0, pod.requestsPerSecond());
        assertEquals(0.0, pod.errorsPerSecond());
        clock.advance(Duration.ofSeconds(1));
        stats(30, 0);
        pod = assertInstanceOf(MetricSample.PodSample.class, publish().get(0));
        assertEquals(20.0, pod.requestsPerSecond(), 1e-9, "the next rate counts from the reset value");
    }

    @Test
    void twoPublishesAtTheSameInstantGiveRateZero() throws Exception {
        stats(100, 0);
        publish();
        stats(200, 0);
        MetricSample.PodSample pod = assertInstanceOf(MetricSample.PodSample.class, publish().get(0));
        assertEquals(0.0, pod.requestsPerSecond());
    }

    @Test
    void poolsWithoutPodAreSkippedAndAFailingPoolDoesNotStopTheOthers() throws Exception {
        backend.ensurePool(new PoolSpec("orphan", "127.0.0.1", 18081, "/health", 5));
        backend.stats.put("orphan", new PoolStats(1, 0, 0, 0, null, null, null, null, List.of()));
        backend.ensurePool(new PoolSpec("broken", "127.0.0.1", 18082, "/health", 5));
        backend.failing.put("broken", new PoolException("admin socket does not answer"));
        Map<String, Pod> all = Map.of("web", pods.get("web"), "broken", pod("broken"));
        stats(7, 0);
        metrics.publish(backend, all, new cms.balancer.activator.WaitingRoom(), publisher);
        assertEquals(1, producer.history().size());
        MetricSample sample = codec.decode(producer.history().get(0).value(), MetricSample.class);
        assertEquals("web", assertInstanceOf(MetricSample.PodSample.class, sample).pod());
    }

    @Test
    void ratesArePerPool() throws Exception {
        backend.ensurePool(new PoolSpec("api", "127.0.0.1", 18081, "/health", 5));
        Map<String, Pod> both = Map.of("web", pods.get("web"), "api", pod("api"));
        stats(100, 0);
        backend.stats.put("api", new PoolStats(1000, 0, 0, 0, null, null, null, null, List.of()));
        metrics.publish(backend, both, new cms.balancer.activator.WaitingRoom(), publisher);
        clock.advance(Duration.ofSeconds(4));
        stats(140, 0);
        backend.stats.put("api", new PoolStats(1400, 0, 0, 0, null, null, null, null, List.of()));
        int before = producer.history().size();
        metrics.publish(backend, both, new cms.balancer.activator.WaitingRoom(), publisher);
        for (ProducerRecord<String, byte[]> r : producer.history().subList(before, producer.history().size())) {
            MetricSample.PodSample s = (MetricSample.PodSample) codec.decode(r.value(), MetricSample.class);
            assertEquals(s.pod().equals("web") ? 10.0 : 100.0, s.requestsPerSecond(), 1e-9, s.pod());
        }
        assertEquals(2, producer.history().size() - before);
    }

    private void at(long millis) {
        clock.advance(Duration.between(clock.instant(), T0.plusMillis(millis)));
    }

    private MetricSample.PodSample podAt(long millis, long requests) throws Exception {
        at(millis);
        stats(requests, 0, server("s1", "10.0.0.5:9001", requests, 0));
        List<MetricSample> out = publish();
        return out.isEmpty() ? null : assertInstanceOf(MetricSample.PodSample.class, out.get(0));
    }

    @Test
    void sampledEveryHalfSecondEachRateIsStillOverTheLastSecond() throws Exception {
        assertEquals(0.0, podAt(0, 1000).requestsPerSecond(), "no earlier reading");
        assertEquals(100.0, podAt(500, 1050).requestsPerSecond(), 1e-9, "none a second old yet: since the oldest");
        assertEquals(100.0, podAt(1000, 1100).requestsPerSecond(), 1e-9);
        // 300 requests in the last half second: the next sample shows them at once, as a rate over the last second
        assertEquals(350 / 1.03, podAt(1530, 1400).requestsPerSecond(), 1e-9, "since the reading of 500 ms");
        assertEquals(600 / 1.03, podAt(2030, 1700).requestsPerSecond(), 1e-9, "since the reading of 1 s");
        assertEquals(600 / 1.0, podAt(2530, 2000).requestsPerSecond(), 1e-9, "since the reading of 1.53 s");
    }

    @Test
    void nodesAreSampledOnceASecondAndABusyPodEveryHalfSecond() throws Exception {
        List<Long> pods = new ArrayList<>();
        List<Long> nodes = new ArrayList<>();
        for (long ms = 0; ms <= 3000; ms += 510) { // the loop's turns come a little late
            at(ms);
            stats(ms * 100, 0, server("s1", "10.0.0.5:9001", ms * 100, 0));
            for (MetricSample m : publish()) {
                (m instanceof MetricSample.PodSample ? pods : nodes).add(ms);
            }
        }
        assertEquals(List.of(0L, 510L, 1020L, 1530L, 2040L, 2550L), pods);
        assertEquals(List.of(0L, 1020L, 2040L), nodes);
        at(3060);
        stats(306_000, 0, server("s1", "10.0.0.5:9001", 306_000, 0));
        MetricSample.ServerSample node = assertInstanceOf(MetricSample.ServerSample.class, publish().get(1));
        assertEquals(102_000 / 1.02, node.requestsPerSecond(), 1e-6, "a node's rate is over the last second too");
    }

    @Test
    void anIdlePodIsSampledOnceASecondAndAsSoonAsItIsNotIdle() throws Exception {
        List<Long> published = new ArrayList<>();
        for (long ms = 0; ms <= 3000; ms += 500) {
            at(ms);
            long requests = ms < 2500 ? 0 : 1; // a request at 2.5 s
            backend.stats.put("web", new PoolStats(requests, 0, 0, 0, 15.0, null, null, null, List.of()));
            if (!publish().isEmpty()) {
                published.add(ms);
            }
        }
        assertEquals(List.of(0L, 1000L, 2000L, 2500L, 3000L), published);
    }

    @Test
    void anIdlePodWhoseFirstRequestWaitsIsSampledAtOnceWithinItsQuietSecond() throws Exception {
        Pod cold = new Pod("web", Workload.builtin(Workload.Builtin.LIGHT), 0.3, 100, 20, false,
                new ElasticityPolicy(true, 0, 2, 0.2, 0.8, "target", "rps", 40.0, null), List.of(), T0, 18080);
        cms.balancer.activator.WaitingRoom room = new cms.balancer.activator.WaitingRoom();
        backend.stats.put("web", new PoolStats(0, 0, 0, 0, null, null, null, null, List.of()));
        metrics.publish(backend, Map.of("web", cold), room, publisher);
        assertEquals(1, producer.history().size(), "idle: sampled");
        at(300);
        room.hold("web");
        metrics.publish(backend, Map.of("web", cold), room, publisher);
        assertEquals(2, producer.history().size(), "300 ms later, a request waits: sampled at once");
        MetricSample.PodSample s = assertInstanceOf(MetricSample.PodSample.class,
                codec.decode(producer.history().get(1).value(), MetricSample.class));
        assertEquals(1, s.waiting());
    }
}
