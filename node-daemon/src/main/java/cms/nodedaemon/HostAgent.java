package cms.nodedaemon;

import cms.core.event.HostEvent;
import cms.core.event.Ids;
import cms.core.kafka.EventPublisher;
import cms.core.topic.Topics;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's membership: announces the host on {@code host-events}, sends a heartbeat with capacity and
 * use at a fixed interval, and says the host is gone when it stops. The resource manager places nodes
 * only on hosts whose heartbeats are recent.
 */
public final class HostAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);

    private final HostConfig config;
    private final EventPublisher publisher;
    private final HostProbe probe;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();
    private ScheduledExecutorService scheduler;

    public HostAgent(HostConfig config, EventPublisher publisher, HostProbe probe, Clock clock) {
        this.config = config;
        this.publisher = publisher;
        this.probe = probe;
        this.clock = clock;
    }

    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        publisher.publish(Topics.HOST_EVENTS, new HostEvent.HostJoined(Ids.next(), 1, clock.instant(),
                config.hostId(), config.address(), config.cpus(), config.memoryMb(), config.joinToken()));
        LOG.info("host={} joined: address {}, {} CPU, {} MB", config.hostId(), config.address(), config.cpus(),
                config.memoryMb());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cms-host-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = config.heartbeat().toMillis();
        scheduler.scheduleAtFixedRate(this::heartbeat, 0, period, TimeUnit.MILLISECONDS);
    }

    /** One heartbeat; public so that a test with a fixed clock can drive it. */
    public void heartbeat() {
        try {
            publisher.publish(Topics.HOST_EVENTS, new HostEvent.HostHeartbeat(Ids.next(), 1, clock.instant(),
                    config.hostId(), config.address(), config.cpus(), config.memoryMb(), probe.cpuUsed(),
                    probe.memoryUsedMb()));
            if (warned.compareAndSet(true, false)) {
                LOG.info("host={} heartbeats are going out again", config.hostId());
            }
        } catch (RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("host={} heartbeat failed (retrying every {} ms): {}", config.hostId(),
                        config.heartbeat().toMillis(), e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        scheduler.shutdownNow();
        try {
            publisher.publish(Topics.HOST_EVENTS, new HostEvent.HostLost(Ids.next(), 1, clock.instant(),
                    config.hostId(), "node daemon stopped")).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("host={} could not announce that it stops: {}", config.hostId(), e.toString());
        }
    }
}
