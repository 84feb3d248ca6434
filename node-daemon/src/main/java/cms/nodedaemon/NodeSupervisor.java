package cms.nodedaemon;

import cms.core.event.Ids;
import cms.core.event.MetricSample;
import cms.core.event.NodeCommand;
import cms.core.kafka.EventPublisher;
import cms.core.topic.Topics;
import cms.nodedaemon.driver.DriverUnavailableException;
import cms.nodedaemon.driver.NodeDriver;
import cms.nodedaemon.driver.NodeSpec;
import cms.nodedaemon.driver.NodeStartException;
import cms.nodedaemon.driver.RunningNode;
import cms.nodedaemon.model.AdoptionPlan;
import cms.nodedaemon.model.RecoveryPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * ONLINE once the health endpoint answers, FAILED (with the exit code or out-of-memory) when one dies or
 * misses its start timeout, STOPPED when stopped on command; and every second their usage on
 * {@code metrics}. A driver fault while launching or stopping one node ends that node FAILED with the
 * reason; what could not be removed is removed on a later pass. While the driver's engine is away the nodes
 * are held as they are; when it answers again the supervisor starts again what the engine stopped
 * ({@link RecoveryPlan}). Everything runs on one thread, so launches, stops and checks never race; the
 * driver's change notices trigger an immediate check.
 */
public final class NodeSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeSupervisor.class);

    /**
     * How long a node stopped by a signal CMS did not send is held before it counts as dead: the engine may be
     * stopping its containers because it shuts down (dockerd's own shutdown timeout is 15 s).
     */
    static final Duration OUTSIDE_STOP_HOLD = Duration.ofSeconds(15);

    private final String hostId;
    private final NodeDriver driver;
    private final NodeReports reports;
    private final EventPublisher publisher;
    private final HealthProbe probe;
    private final Clock clock;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private final Map<String, TrackedNode> tracked = new HashMap<>();
    private final Set<String> leftovers = new LinkedHashSet<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cms-node-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean checkQueued = new AtomicBoolean();
    private final AtomicBoolean recoveryDue = new AtomicBoolean();
    private boolean driverAway;

    public NodeSupervisor(String hostId, NodeDriver driver, EventPublisher publisher, HealthProbe probe, Clock clock,
                          Duration startTimeout, Duration stopGrace) {
        this.hostId = hostId;
        this.driver = driver;
        this.reports = new NodeReports(hostId, publisher, clock);
        this.publisher = publisher;
        this.probe = probe;
        this.clock = clock;
        this.startTimeout = startTimeout;
        this.stopGrace = stopGrace;
        driver.onReturn(() -> recoveryDue.set(true));
    }

    /** Starts the periodic checks (every {@code checkEvery}) and samples (every second). */
    public void start(Duration checkEvery) {
        driver.onChange(this::checkSoon);
        driver.onReturn(this::checkSoon);
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
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
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
                    LOG.info("host={} node={} pod={} adopted (running)", hostId, r.node(), r.pod());
                    TrackedNode t = new TrackedNode(r.node(), r.pod(), healthPathByPod.getOrDefault(r.pod(),
                            "/health"), clock.instant());
                    if (a.announced()) {
                        t.phase = TrackedNode.Phase.ONLINE;
                        t.announcedPort = r.port();
                    }
                    tracked.put(r.node(), t);
                } else if (step instanceof AdoptionPlan.Remove r) {
                    LOG.info("host={} node={} found on this host but {}; removing it", hostId, r.node(),
                            r.failedReason() == null ? "not wanted here" : r.failedReason());
                    if (r.failedReason() != null) {
                        reports.failed(r.node(), r.pod(), r.failedReason(), r.exitCode());
                    }
                    remove(r.node(), stopGrace);
                } else if (step instanceof AdoptionPlan.Missing m) {
                    reports.failed(m.node(), m.pod(), m.reason(), null);
                }
            }
            return null;
        });
    }

    /**
     * Starts the node (idempotent); publishes STARTING, or FAILED with the reason when the driver cannot
     * start it (whatever it throws). Returns when the events are sent.
     */
    public void launch(NodeCommand.LaunchNode c) {
        onThread(() -> {
            if (tracked.containsKey(c.node())) {
                LOG.info("host={} node={} launch ignored: already running here", hostId, c.node());
                return null;
            }
            NodeSpec spec = new NodeSpec(c.node(), c.pod(), c.workload(), c.cpuLimit(), c.memoryMb());
            try {
                driver.start(spec);
            } catch (NodeStartException e) {
                LOG.warn("host={} node={} pod={} could not start: {}", hostId, c.node(), c.pod(), e.getMessage());
                reports.failed(c.node(), c.pod(), e.getMessage(), null);
                return null;
            } catch (RuntimeException e) {
                String reason = "could not start: " + describe(e);
                LOG.warn("host={} node={} pod={} {}", hostId, c.node(), c.pod(), reason, e);
                reports.failed(c.node(), c.pod(), reason, null);
                remove(c.node(), Duration.ZERO); // whatever the failed start left behind
                return null;
            }
            tracked.put(c.node(), new TrackedNode(c.node(), c.pod(), c.workload().healthPath(), clock.instant()));
            reports.starting(c.node(), c.pod());
            return null;
        });
    }

    /**
     * Stops and removes the node (idempotent); publishes STOPPED, or FAILED with the reason when the driver
     * cannot stop it (its removal is then tried again on later passes). Returns when done.
     */
    public void stop(NodeCommand.StopNode c) {
        onThread(() -> {
            tracked.remove(c.node());
            try {
                driver.stop(c.node(), stopGrace);
            } catch (RuntimeException e) {
                String reason = "could not be stopped: " + describe(e);
                LOG.warn("host={} node={} pod={} {}; removal tried again later", hostId, c.node(), c.pod(), reason);
                leftovers.add(c.node());
                reports.failed(c.node(), c.pod(), reason, null);
                return null;
            }
            LOG.info("host={} node={} pod={} stopped and removed", hostId, c.node(), c.pod());
            reports.stopped(c.node(), c.pod());
            return null;
        });
    }

    /** Stops and removes a node without a report; one the driver cannot remove now is tried again later. */
    private void remove(String node, Duration grace) {
        try {
            driver.stop(node, grace);
            leftovers.remove(node);
        } catch (RuntimeException e) {
            if (leftovers.add(node)) {
                LOG.warn("host={} node={} could not be removed (tried again later): {}", hostId, node, describe(e));
            }
        }
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("host={} node check failed (retrying): {}", hostId, e.toString());
        }
    }

    /**
     * One pass: dead nodes are FAILED and removed; starting ones that answer their health check ONLINE,
     * those past their start timeout FAILED and removed. Right after the driver's engine returned, the
     * recovery plan instead.
     */
    void check() {
        if (tracked.isEmpty() && leftovers.isEmpty() && !recoveryDue.get()) {
            return;
        }
        List<RunningNode> found;
        try {
            found = driver.list();
        } catch (DriverUnavailableException e) {
            if (!driverAway) {
                driverAway = true;
                LOG.warn("host={} {} node(s) held as they are until the driver answers: {}", hostId, tracked.size(),
                        e.getMessage());
            }
            return;
        }
        driverAway = false;
        Instant now = clock.instant();
        if (recoveryDue.getAndSet(false)) {
            recover(found, now);
            return;
        }
        List.copyOf(leftovers).forEach(n -> remove(n, Duration.ZERO));
        Map<String, RunningNode> byName = found.stream()
                .collect(Collectors.toMap(RunningNode::node, Function.identity(), (a, b) -> a));
        for (TrackedNode t : List.copyOf(tracked.values())) {
            try {
                check(t, byName.get(t.node), now);
            } catch (RuntimeException e) {
                LOG.warn("host={} node={} check failed: {}", hostId, t.node, e.toString());
            }
        }
    }

    private void check(TrackedNode t, RunningNode r, Instant now) {
        if (r == null || !r.running()) {
            if (r != null && r.stopSignalAt() != null && now.isBefore(r.stopSignalAt().plus(OUTSIDE_STOP_HOLD))) {
                return; // stopped from outside: if its engine is shutting down, it is started again on return
            }
            String reason = r == null ? "its container or process disappeared" : r.exitReason();
            LOG.warn("host={} node={} pod={} died: {}", hostId, t.node, t.pod, reason);
            reports.failed(t.node, t.pod, reason, r == null ? null : r.exitCode());
            tracked.remove(t.node);
            remove(t.node, Duration.ZERO);
        } else if (t.phase == TrackedNode.Phase.STARTING && r.port() != null
                && probe.healthy(r.address(), r.port(), t.healthPath)) {
            online(t, r);
        } else if (t.phase == TrackedNode.Phase.STARTING && t.since.plus(startTimeout).isBefore(now)) {
            String reason = "not healthy within " + seconds(startTimeout) + ": health check " + t.healthPath
                    + " did not pass";
            LOG.warn("host={} node={} pod={} {}; removing it", hostId, t.node, t.pod, reason);
            reports.failed(t.node, t.pod, reason, null);
            tracked.remove(t.node);
            remove(t.node, stopGrace);
        }
    }

    private void online(TrackedNode t, RunningNode r) {
        t.phase = TrackedNode.Phase.ONLINE;
        if (r.port().equals(t.announcedPort)) {
            LOG.info("host={} node={} pod={} healthy again at {}:{}", hostId, t.node, t.pod, r.address(), r.port());
            return;
        }
        LOG.info("host={} node={} pod={} ONLINE at {}:{}", hostId, t.node, t.pod, r.address(), r.port());
        reports.online(t.node, t.pod, r.address(), r.port());
        t.announcedPort = r.port();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The driver's engine answered again: start again what it stopped, remove what is not watched. */
    private void recover(List<RunningNode> found, Instant now) {
        LOG.info("host={} driver answers again: recovering {} node(s)", hostId, tracked.size());
        leftovers.clear();
        for (RecoveryPlan.Step step : RecoveryPlan.plan(Set.copyOf(tracked.keySet()), found)) {
            TrackedNode t = tracked.get(step.node());
            if (step instanceof RecoveryPlan.Keep) {
                t.startingAgain(now);
            } else if (step instanceof RecoveryPlan.Restart) {
                restart(t, now);
            } else if (step instanceof RecoveryPlan.Gone) {
                LOG.warn("host={} node={} pod={} gone after its engine was away", hostId, t.node, t.pod);
                reports.failed(t.node, t.pod, "its container or process disappeared while its engine was away", null);
                tracked.remove(t.node);
            } else if (step instanceof RecoveryPlan.Remove r) {
                LOG.info("host={} node={} found but not watched; removing it", hostId, r.node());
                remove(r.node(), Duration.ZERO);
            }
        }
    }

    private void restart(TrackedNode t, Instant now) {
        try {
            driver.restart(t.node);
            t.startingAgain(now);
            LOG.info("host={} node={} pod={} started again after its engine was away", hostId, t.node, t.pod);
        } catch (NodeStartException | RuntimeException e) {
            String reason = "could not start again after its engine was away: " + e.getMessage();
            LOG.warn("host={} node={} pod={} {}", hostId, t.node, t.pod, reason);
            reports.failed(t.node, t.pod, reason, null);
            tracked.remove(t.node);
            remove(t.node, Duration.ZERO);
        }
    }

    private void sampleSafely() {
        try {
            Instant now = clock.instant();
            for (TrackedNode t : tracked.values()) {
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
