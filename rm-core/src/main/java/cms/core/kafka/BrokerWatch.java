package cms.core.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Kafka cluster answers now: a probe (the cluster's description, with a short timeout) every
 * {@code interval}. A service consults it before it sends what needs Kafka, and while it waits for an
 * answer, so that during an outage it refuses at once ({@link BrokerUnreachableException}) instead of
 * hanging; when the cluster answers again, so does the service, by itself. The cluster is taken as
 * reachable at start (a service starts by reaching it).
 */
public final class BrokerWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerWatch.class);
    /** How long a caller that was refused should wait before asking again. */
    public static final long RETRY_AFTER_SECONDS = 5;
    /** How often a waiting caller looks at the watch again. */
    private static final long SLICE_MILLIS = 50;

    /** One look at the cluster: returns when it answered within {@code timeout}, throws otherwise. */
    public interface Probe {
        void check(Duration timeout) throws Exception;
    }

    /** What the last probe found, since when, and (when unreachable) why. */
    public record Status(boolean reachable, Instant since, String reason) {
    }

    private final Probe probe;
    private final Clock clock;
    private final Duration interval;
    private final Duration timeout;
    private final AutoCloseable resource;
    private final int failuresToDeclare;
    private int failuresInARow;
    private Instant firstFailureAt;
    private volatile Status status;
    /** Futures to fail as soon as the cluster is declared unreachable ({@link #failWhenUnreachable}). */
    private final Set<CompletableFuture<?>> watchers = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;

    public BrokerWatch(Probe probe, Clock clock, Duration interval, Duration timeout) {
        this(probe, clock, interval, timeout, 1, () -> { });
    }

    /** {@code failuresToDeclare}: failed probes in a row before the cluster counts as unreachable. */
    public BrokerWatch(Probe probe, Clock clock, Duration interval, Duration timeout, int failuresToDeclare) {
        this(probe, clock, interval, timeout, failuresToDeclare, () -> { });
    }

    private BrokerWatch(Probe probe, Clock clock, Duration interval, Duration timeout, int failuresToDeclare,
                        AutoCloseable resource) {
        this.probe = probe;
        this.clock = clock;
        this.interval = interval;
        this.timeout = timeout;
        this.failuresToDeclare = failuresToDeclare;
        this.resource = resource;
        this.status = new Status(true, clock.instant(), null);
    }

    /**
     * A watch of this cluster through its own admin client: a probe every half second, each given two
     * seconds, the cluster unreachable after two failed probes in a row: a broker that is gone (connections
     * refused) is known within about 1.5 s, and a merely slow one (a loaded machine) is not taken for gone
     * before 4.5 s without an answer; the cluster's return is known within a second.
     */
    public static BrokerWatch of(KafkaSettings kafka, String clientId, Clock clock) {
        Duration timeout = Duration.ofSeconds(2);
        Map<String, Object> props = kafka.common(clientId);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        Admin admin = Admin.create(props);
        Probe probe = t -> {
            try {
                admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) t.toMillis())).clusterId()
                        .get(t.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new TimeoutException("no answer from " + kafka.bootstrapServers() + " within " + t.toMillis()
                        + " ms");
            }
        };
        return new BrokerWatch(probe, clock, Duration.ofMillis(500), timeout, 2, () -> admin.close(Duration.ZERO));
    }

    /** Probes now and records what it found; logs each change once. */
    public void probeOnce() {
        String failure = null;
        try {
            probe.check(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            failure = reason(e);
        }
        failuresInARow = failure == null ? 0 : failuresInARow + 1;
        if (failuresInARow == 1) {
            firstFailureAt = clock.instant();
        }
        if (failure != null && failuresInARow < failuresToDeclare) {
            LOG.debug("kafka did not answer a probe ({} in a row): {}", failuresInARow, failure);
            return;
        }
        Status was = status;
        Instant now = clock.instant();
        if (failure == null && !was.reachable()) {
            LOG.info("kafka reachable again after {} s", Duration.between(was.since(), now).toSeconds());
            status = new Status(true, now, null);
        } else if (failure != null && was.reachable()) {
            LOG.warn("kafka unreachable: {}", failure);
            status = new Status(false, firstFailureAt, failure);
            List.copyOf(watchers).forEach(f -> f.completeExceptionally(unreachable(status)));
        } else if (failure != null) {
            status = new Status(false, was.since(), failure);
        }
    }

    private static String reason(Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse("");
        return cause.getClass().getSimpleName() + message;
    }

    public Status status() {
        return status;
    }

    /** Throws when the cluster did not answer the last probe. */
    public void require() {
        Status s = status;
        if (!s.reachable()) {
            throw unreachable(s);
        }
    }

    private static BrokerUnreachableException unreachable(Status s) {
        return new BrokerUnreachableException("Kafka is unreachable (since " + s.since() + ": " + s.reason()
                + "); try again in " + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
    }

    /**
     * Waits for {@code future} at most {@code wait}, giving up at once when the cluster turns unreachable.
     *
     * @throws BrokerUnreachableException when the cluster did not answer a probe while this waited
     * @throws TimeoutException when {@code wait} passed
     */
    public <T> T await(Future<T> future, Duration wait)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            require();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no answer within " + wait.toMillis() + " ms");
            }
            try {
                return future.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // not yet: look at the watch again
            }
        }
    }

    /**
     * {@code future}, failed with {@link BrokerUnreachableException} at once if the cluster is unreachable now or is
     * declared so before it completes: a caller that answers people does not wait out a client's own timeout for
     * what the watch already knows.
     */
    public <T> CompletableFuture<T> failWhenUnreachable(CompletableFuture<T> future) {
        watchers.add(future); // before the status is read: a change in between fails it here or in probeOnce
        future.whenComplete((value, error) -> watchers.remove(future));
        Status s = status;
        if (!s.reachable()) {
            future.completeExceptionally(unreachable(s));
        }
        return future;
    }

    /** Probes now, then every interval on a daemon thread. */
    public synchronized BrokerWatch start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cms-broker-watch");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::probeOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.debug("closing the broker watch's client: {}", e.toString());
        }
    }
}
