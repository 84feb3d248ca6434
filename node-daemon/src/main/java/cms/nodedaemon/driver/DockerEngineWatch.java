package cms.nodedaemon.driver;

import cms.nodedaemon.model.Backoff;
import com.github.dockerjava.api.exception.DockerException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Docker engine answers, and its stream of container events. The engine counts as away from
 * the moment that stream ends or a call cannot reach it; from then on every use of the driver goes
 * through {@link #ensureUp()}, which tries the engine again whenever the back-off (on the injected clock)
 * allows it: a ping, then a fresh event stream, then {@code onReturn} (the driver drops its dead stats
 * streams and tells its listeners). Until then it throws {@link DriverUnavailableException}.
 */
final class DockerEngineWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DockerEngineWatch.class);

    /** The engine as the watch needs it: docker-java in production, a fake in unit tests. */
    interface Engine {
        /** Throws when the engine does not answer. */
        void ping();

        /** Subscribes to container events; {@code onEnd} gets the reason when the stream ends by itself. */
        Closeable subscribe(Consumer<String> onEnd);
    }

    private final Engine engine;
    private final String where;
    private final Clock clock;
    private final Backoff backoff;
    private final Runnable onReturn;
    private Closeable events;
    private String awayReason;
    private Instant awaySince;
    private Instant nextTry;
    private int failures;
    private boolean closed;

    /**
     * @param where    how the engine is named in logs and reasons, e.g. {@code the Docker engine at unix:///…}
     * @param onReturn called once each time the engine answers again after it was away
     */
    DockerEngineWatch(Engine engine, String where, Clock clock, Backoff backoff, Runnable onReturn) {
        this.engine = engine;
        this.where = where;
        this.clock = clock;
        this.backoff = backoff;
        this.onReturn = onReturn;
    }

    /** The first connection: throws when the engine does not answer. */
    synchronized void connect() {
        engine.ping();
        events = engine.subscribe(this::lost);
    }

    synchronized boolean up() {
        return awayReason == null && !closed;
    }

    /**
     * Returns at once while the engine is up; while it is away, tries it again if the back-off allows.
     *
     * @throws DriverUnavailableException while the engine is away
     */
    void ensureUp() {
        synchronized (this) {
            if (closed) {
                throw new DriverUnavailableException("the Docker driver is closed");
            }
            if (awayReason == null) {
                return;
            }
            Instant now = clock.instant();
            if (now.isBefore(nextTry)) {
                throw unavailable();
            }
            try {
                engine.ping();
                events = engine.subscribe(this::lost);
            } catch (RuntimeException e) {
                failures++;
                nextTry = now.plus(backoff.after(failures));
                awayReason = DockerNodeDriver.firstLine(e.getMessage());
                throw unavailable();
            }
            LOG.info("{} answers again after {} ms away ({} failed tries); event stream subscribed again", where,
                    Duration.between(awaySince, now).toMillis(), failures);
            awayReason = null;
            failures = 0;
        }
        onReturn.run();
    }

    /** The engine cannot be reached (its event stream ended, or a call failed to connect). */
    void lost(String why) {
        Closeable stale;
        synchronized (this) {
            if (closed || awayReason != null) {
                return;
            }
            awayReason = why == null ? "no reason given" : why;
            awaySince = clock.instant();
            nextTry = awaySince;
            failures = 0;
            stale = events;
            events = null;
            LOG.warn("{} is away ({}); nodes are held as they are and the engine is tried again with a back-off "
                    + "from {} ms to {} ms", where, awayReason, backoff.first().toMillis(), backoff.max().toMillis());
        }
        closeQuietly(stale);
    }

    /** A call to the engine through the watch; one that cannot reach the engine marks it away. */
    <T> T call(Supplier<T> call) {
        try {
            return callForStart(call::get);
        } catch (NodeStartException e) {
            throw new IllegalStateException(e); // a Supplier throws none
        }
    }

    /**
     * A call to the engine that may fail to start a node: throws {@link DriverUnavailableException} while the
     * engine is away, and when the call cannot reach it (marking it away); an error the engine answered with
     * ({@link DockerException}) is the caller's.
     */
    <T> T callForStart(EngineCall<T> call) throws NodeStartException {
        ensureUp();
        try {
            return call.run();
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!unreachable(e)) {
                throw e;
            }
            String why = DockerNodeDriver.firstLine(e.getMessage());
            lost(why);
            throw new DriverUnavailableException(where + " cannot be reached: " + why);
        }
    }

    /** docker-java wraps a failure to connect (or a connection lost) in a RuntimeException around an IOException. */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** A call to the engine. */
    interface EngineCall<T> {
        T run() throws NodeStartException;
    }

    private DriverUnavailableException unavailable() {
        return new DriverUnavailableException(where + " is not answering (" + awayReason + "); next try in "
                + Math.max(0, Duration.between(clock.instant(), nextTry).toMillis()) + " ms");
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // the stream is dead already
        }
    }

    @Override
    public void close() {
        Closeable stream;
        synchronized (this) {
            closed = true;
            stream = events;
            events = null;
        }
        closeQuietly(stream);
    }
}
