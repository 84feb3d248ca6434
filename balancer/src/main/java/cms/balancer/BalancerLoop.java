package cms.balancer;

import cms.balancer.activator.Activator;
import cms.balancer.activator.WaitingRoom;
import cms.balancer.model.Member;
import cms.balancer.model.PoolReconciler;
import cms.balancer.model.SlotStep;
import cms.core.codec.EventCodec;
import cms.core.event.Ids;
import cms.core.event.NodeEvent;
import cms.core.kafka.EventPublisher;
import cms.core.metrics.ServiceMetrics;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.Liveness;
import cms.core.kafka.LoopHandler;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.LoopSession;
import cms.core.kafka.Subscription;
import cms.core.kafka.PodSnapshots;
import cms.core.kafka.TopicCreator;
import cms.core.model.Pod;
import cms.core.model.ScaleFromZero;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancer service's thread. Reads the compacted {@code pods} topic from its start (the desired
 * state, with each node's observed state as the resource manager applied it), and on every tick makes
 * each pod's pool match it through the pure {@link PoolReconciler}: ONLINE nodes of unpaused pods in
 * rotation, the others drained first and then taken out; a node being removed is reported drained on
 * {@code node-events}. Every half second it publishes the pools' traffic on {@code metrics} ({@link PoolMetrics}: rates
 * over the last second, nodes and idle pods once a second). A pod that scales from
 * zero ({@link ScaleFromZero#holdsRequests}) gets the {@link Activator} as its backup server: the loop hands the
 * requests held there to the pod's first serving node as soon as it reads one, and reports them (a sample at once
 * when a pod begins to have some) so that the elasticity service asks for a node.
 */
public final class BalancerLoop implements AutoCloseable, LoopHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BalancerLoop.class);
    public static final String LOOP = "cms-balancer";

    private final BalancerConfig config;
    private final BalancerBackend backend;
    private final EventCodec codec;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Instant>> drainingSince = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final Map<String, String> poolErrors = new ConcurrentHashMap<>();
    private final PoolMetrics metrics;
    private final WaitingRoom room = new WaitingRoom();
    private final Activator activator;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final ConsumerLoop loop;
    private Map<TopicPartition, Long> end;
    private Instant nextTick = Instant.MIN;
    private Instant nextStats = Instant.MIN;

    public BalancerLoop(BalancerConfig config, BalancerBackend backend, EventCodec codec, Clock clock) {
        this(config, backend, codec, clock, null, reason -> { });
    }

    /** {@code liveness} (may be null) gets the loop's health; {@code onFatal} is told when it cannot go on. */
    public BalancerLoop(BalancerConfig config, BalancerBackend backend, EventCodec codec, Clock clock,
                        Liveness liveness, java.util.function.Consumer<String> onFatal) {
        this(config, backend, codec, clock, liveness, onFatal, ServiceMetrics.none());
    }

    /** {@code metrics}: the service's meters, told what the loop publishes (each pod's traffic). */
    public BalancerLoop(BalancerConfig config, BalancerBackend backend, EventCodec codec, Clock clock,
                        Liveness liveness, java.util.function.Consumer<String> onFatal, ServiceMetrics metrics) {
        this.config = config;
        this.backend = backend;
        this.codec = codec;
        this.metrics = new PoolMetrics(clock);
        this.activator = new Activator(room, config.hold(), config.serverTimeout(), config.activatorPort());
        this.loop = ConsumerLoop.builder(LOOP)
                .consumer(() -> new KafkaConsumer<>(config.kafka().consumer(LOOP, null)))
                .producer(() -> new KafkaProducer<>(config.kafka().producer(LOOP, null)), false)
                .subscription(Subscription.fromBeginning(Topics.PODS))
                .handler(this).codec(codec).clock(clock).liveness(liveness).onFatal(onFatal).metrics(metrics)
                .pollTimeout(Duration.ofMillis(50)).build();
    }

    public BalancerLoop start() {
        TopicCreator.ensureAll(config.kafka());
        activator.open();
        loop.start();
        return this;
    }

    /** Waits until the pods topic was read to its end once and the pools were reconciled. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String backendName() {
        return backend.name();
    }

    /**
     * A new consumer reads {@code pods} again from its start: the pods are rebuilt, and nothing is
     * reconciled until it has read to the end it finds (the pools keep serving meanwhile).
     */
    @Override
    public void onOpen(LoopSession session) {
        pods.clear();
        end = null;
    }

    @Override
    public void onRecord(ConsumerRecord<String, byte[]> r, LoopSession session) throws Exception {
        PodSnapshots.apply(pods, r, codec);
    }

    @Override
    public void onTurn(Instant now, LoopSession session) {
        var c = session.consumer();
        if (end == null) {
            end = c.endOffsets(c.assignment());
        }
        if (!end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
            return;
        }
        if (!now.isBefore(nextTick)) {
            reconcile(session.publisher(), now);
            caughtUp.countDown();
            nextTick = now.plus(config.tick());
        }
        releaseHeld();
        if (!now.isBefore(nextStats) || room.takeFresh()) {
            metrics.publish(backend, pods, room, session.publisher());
            nextStats = now.plus(PoolMetrics.PERIOD);
        }
    }

    /**
     * The requests held for each pod go to its serving nodes once it has one; those of a pod that was removed or
     * paused are answered at once.
     */
    private void releaseHeld() {
        for (String name : room.pods()) {
            Pod pod = pods.get(name);
            if (pod == null || pod.paused()) {
                room.refuse(name, "pod " + name + (pod == null ? " does not exist (any more)" : " is paused"));
                continue;
            }
            room.release(name, Member.of(pod).values().stream().filter(Member::serve).toList());
        }
    }

    public LoopHealth health() {
        return loop.health();
    }

    private void reconcile(EventPublisher publisher, Instant now) {
        for (Pod pod : pods.values()) {
            if (pod.frontendPort() == null) {
                continue;
            }
            try {
                reconcile(pod, publisher, now);
                if (poolErrors.remove(pod.name()) != null) {
                    LOG.info("pod={} pool is working again", pod.name());
                }
            } catch (PoolException e) {
                if (!e.getMessage().equals(poolErrors.put(pod.name(), e.getMessage()))) {
                    LOG.warn("pod={} load balancer: {} (retrying)", pod.name(), e.getMessage());
                }
            }
        }
        for (String pool : backend.pools()) {
            if (!pods.containsKey(pool)) {
                LOG.info("pod={} removed: stopping its frontend", pool);
                backend.removePool(pool);
                drainingSince.remove(pool);
            }
        }
        Set<String> stillRemoving = new HashSet<>();
        pods.values().forEach(p -> p.nodes().stream().filter(n -> n.removing()).forEach(n -> stillRemoving.add(n.name())));
        reported.retainAll(stillRemoving);
    }

    private void reconcile(Pod pod, EventPublisher publisher, Instant now) throws PoolException {
        backend.ensurePool(new PoolSpec(pod.name(), config.address(), pod.frontendPort(), pod.workload().healthPath(),
                pod.nodeLimit(), ScaleFromZero.holdsRequests(pod.elasticity()) ? activator.endpoint() : null));
        Map<String, Instant> since = drainingSince.computeIfAbsent(pod.name(), p -> new HashMap<>());
        List<cms.balancer.model.Slot> slots = backend.slots(pod.name());
        // a slot found draining (e.g. by a restarted balancer: HAProxy kept running) times out from now
        slots.stream().filter(s -> s.admin() == cms.balancer.model.Slot.Admin.DRAIN)
                .forEach(s -> since.putIfAbsent(s.name(), now));
        for (SlotStep step : PoolReconciler.plan(Member.of(pod), slots, since, reported, now, config.drainTimeout())) {
            if (step instanceof SlotStep.Drained d) {
                publisher.publish(Topics.NODE_EVENTS, new NodeEvent.NodeDrained(Ids.next(), 1, now, d.node(), pod.name()));
                reported.add(d.node());
                LOG.info("pod={} node={} drained: out of the load balancer", pod.name(), d.node());
                continue;
            }
            backend.apply(pod.name(), step);
            if (step instanceof SlotStep.Drain d) {
                since.put(d.slot(), now);
            } else if (step instanceof SlotStep.Free f) {
                since.remove(f.slot());
            }
            LOG.debug("pod={} {}", pod.name(), step);
        }
    }

    /** Pods whose pool cannot run now, with the reason (also logged once per streak). */
    public Map<String, String> poolErrors() {
        return Map.copyOf(poolErrors);
    }

    /** The pod's slots as its balancer reports them now (for operators' tools and tests). */
    public List<cms.balancer.model.Slot> slots(String pod) throws PoolException {
        return backend.slots(pod);
    }

    /**
     * Stops every pool's frontend (HAProxy processes otherwise outlive the balancer, so that clients are
     * served while it restarts). For taking a balancer host out of service, and for tests. The loop stops
     * first: a tick after the removal would start the frontends of the pods it still reads again.
     */
    public void removeAllPools() {
        loop.close();
        activator.close();
        backend.pools().forEach(backend::removePool);
    }

    @Override
    public void close() {
        loop.close();
        activator.close();
        backend.close();
    }
}
