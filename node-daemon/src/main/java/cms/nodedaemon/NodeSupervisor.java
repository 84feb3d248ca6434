package cms.nodedaemon;

import cms.core.event.Ids;
import cms.core.event.MetricSample;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.kafka.EventPublisher;
import cms.core.topic.Topics;
import cms.nodedaemon.driver.NodeDriver;
import cms.nodedaemon.driver.NodeSpec;
import cms.nodedaemon.driver.NodeStartException;
import cms.nodedaemon.driver.RunningNode;
import cms.nodedaemon.model.AdoptionPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this host's nodes and reports their lifecycle on {@code node-events}: STARTING when started,
 * ONLINE once the health endpoint answers, FAILED (with the exit code or out-of-memory) when one dies,
 * STOPPED when stopped on command; and every second their usage on {@code metrics}. Everything runs on
 * one thread, so launches, stops and checks never race; the driver's change notices trigger an
 * immediate check.
 */
public final class NodeSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeSupervisor.class);

    private enum Phase { STARTING, ONLINE }

    private static final class Tracked {
        final String node;
        final String pod;
        final String healthPath;
        final Instant since;
        Phase phase = Phase.STARTING;

        Tracked(String node, String pod, String healthPath, Instant since) {
            this.node = node;
            this.pod = pod;
            this.healthPath = healthPath;
            this.since = since;
        }
    }

    private final String hostId;
    private final NodeDriver driver;
    private final EventPublisher publisher;
    private final HealthProbe probe;
    private final Clock clock;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cms-node-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean checkQueued = new AtomicBoolean();

    public NodeSupervisor(String hostId, NodeDriver driver, EventPublisher publisher, HealthProbe probe, Clock clock,
                          Duration startTimeout, Duration stopGrace) {
        this.hostId = hostId;
        this.driver = driver;
        this.publisher = publisher;
        this.probe = probe;
        this.clock = clock;
        this.startTimeout = startTimeout;
        this.stopGrace = stopGrace;
    }

    /** Starts the periodic checks (every {@code checkEvery}) and samples (every second). */
    public void start(Duration checkEvery) {
        driver.onChange(this::checkSoon);
        thread.scheduleWithFixedDelay(this::checkSafely, 0, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
        thread.scheduleAtFixedRate(this::sampleSafely, 1000, 1000, TimeUnit.MILLISECONDS);
    }

    private void checkSoon() {
        if (checkQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                checkQueued.set(false);
                checkSafely();
            });
        }
    }

    private <T> T onThread(Callable<T> work) {
        try {
            return thread.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Applies the start-up plan with every pod's health path at {@code /health}. */
    public void adopt(List<AdoptionPlan.Step> steps) {
        adopt(steps, Map.of());
    }

    /** Applies the start-up plan: adopt, remove, report missing. Returns when done. */
    public void adopt(List<AdoptionPlan.Step> steps, Map<String, String> healthPathByPod) {
        onThread(() -> {
            for (AdoptionPlan.Step step : steps) {
                if (step instanceof AdoptionPlan.Adopt a) {
                    RunningNode r = a.found();
                    LOG.info("node={} pod={} adopted (running)", r.node(), r.pod());
                    Tracked t = new Tracked(r.node(), r.pod(), healthPathByPod.getOrDefault(r.pod(), "/health"),
                            clock.instant());
                    if (a.announced()) {
                        t.phase = Phase.ONLINE;
                    }
                    tracked.put(r.node(), t);
                } else if (step instanceof AdoptionPlan.Remove r) {
                    LOG.info("node={} found on this host but {}; removing it", r.node(),
                            r.failedReason() == null ? "not wanted here" : r.failedReason());
                    driver.stop(r.node(), stopGrace);
                    if (r.failedReason() != null) {
                        failed(r.node(), r.pod(), r.failedReason(), r.exitCode());
                    }
                } else if (step instanceof AdoptionPlan.Missing m) {
                    failed(m.node(), m.pod(), m.reason(), null);
                }
            }
            return null;
        });
    }

    /** Starts the node (idempotent); publishes STARTING or FAILED. Returns when the events are sent. */
    public void launch(NodeCommand.LaunchNode c) {
        onThread(() -> {
            if (tracked.containsKey(c.node())) {
                LOG.info("node={} launch ignored: already running here", c.node());
                return null;
            }
            NodeSpec spec = new NodeSpec(c.node(), c.pod(), c.workload(), c.cpuLimit(), c.memoryMb());
            try {
                driver.start(spec);
                tracked.put(c.node(), new Tracked(c.node(), c.pod(), c.workload().healthPath(), clock.instant()));
                publisher.publish(Topics.NODE_EVENTS, new NodeEvent.NodeStarting(Ids.next(), 1, clock.instant(),
                        c.node(), c.pod(), hostId)).get();
            } catch (NodeStartException e) {
                LOG.warn("node={} pod={} could not start: {}", c.node(), c.pod(), e.getMessage());
                failed(c.node(), c.pod(), e.getMessage(), null);
            }
            return null;
        });
    }

    /** Stops and removes the node (idempotent); publishes STOPPED. Returns when done. */
    public void stop(NodeCommand.StopNode c) {
        onThread(() -> {
            tracked.remove(c.node());
            driver.stop(c.node(), stopGrace);
            LOG.info("node={} pod={} stopped and removed", c.node(), c.pod());
            publisher.publish(Topics.NODE_EVENTS, new NodeEvent.NodeStopped(Ids.next(), 1, clock.instant(),
                    c.node(), c.pod(), hostId)).get();
            return null;
        });
    }

    private void failed(String node, String pod, String reason, Integer exitCode) throws Exception {
        publisher.publish(Topics.NODE_EVENTS, new NodeEvent.NodeFailed(Ids.next(), 1, clock.instant(), node, pod,
                hostId, reason, exitCode)).get();
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("host={} node check failed (retrying): {}", hostId, e.toString());
        }
    }

    /** One pass: dead nodes are FAILED and removed; starting ones that answer their health check ONLINE. */
    void check() {
        if (tracked.isEmpty()) {
            return;
        }
        Map<String, RunningNode> found = driver.list().stream()
                .collect(Collectors.toMap(RunningNode::node, Function.identity(), (a, b) -> a));
        Instant now = clock.instant();
        for (Tracked t : List.copyOf(tracked.values())) {
            RunningNode r = found.get(t.node);
            try {
                if (r == null || !r.running()) {
                    String reason = r == null ? "its container or process disappeared" : r.exitReason();
                    LOG.warn("node={} pod={} died: {}", t.node, t.pod, reason);
                    tracked.remove(t.node);
                    driver.stop(t.node, Duration.ZERO);
                    failed(t.node, t.pod, reason, r == null ? null : r.exitCode());
                } else if (t.phase == Phase.STARTING && r.port() != null
                        && probe.healthy(r.address(), r.port(), t.healthPath)) {
                    t.phase = Phase.ONLINE;
                    LOG.info("node={} pod={} ONLINE at {}:{}", t.node, t.pod, r.address(), r.port());
                    publisher.publish(Topics.NODE_EVENTS, new NodeEvent.NodeOnline(Ids.next(), 1, now, t.node, t.pod,
                            hostId, r.address(), r.port())).get();
                } else if (t.phase == Phase.STARTING && t.since.plus(startTimeout).isBefore(now)) {
                    String reason = "health check " + t.healthPath + " did not pass within "
                            + (startTimeout.toMillis() % 1000 == 0 ? startTimeout.toSeconds() + " s"
                            : startTimeout.toMillis() + " ms");
                    tracked.remove(t.node);
                    driver.stop(t.node, stopGrace);
                    failed(t.node, t.pod, reason, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.warn("node={} check failed: {}", t.node, e.toString());
            }
        }
    }

    private void sampleSafely() {
        try {
            Instant now = clock.instant();
            for (Tracked t : tracked.values()) {
                driver.usage(t.node).ifPresent(u -> publisher.publish(Topics.METRICS, new MetricSample.NodeSample(
                        Ids.next(), 1, now, t.node, t.pod, u.cpuShare(), u.memoryMb())));
            }
        } catch (RuntimeException e) {
            LOG.warn("host={} sampling failed (retrying): {}", hostId, e.toString());
        }
    }

    /** How many nodes are being watched. */
    public int size() {
        return onThread(tracked::size);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
