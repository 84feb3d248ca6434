package cms.web.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When the job API may answer after a start: once the {@link JobTable} holds {@code job-state} (what was known before
 * the restart: an ended job read too early would be answered 404), or once a deadline has passed, after which it
 * answers from what has been read so far, as the service opens anyway. The job API's requests wait here, so the HTTP
 * server can start while the table loads instead of after it.
 */
public final class TableOpening {

    /** Waits for the table, at most {@code timeout}; true once it is loaded. */
    public interface Loaded {
        boolean await(Duration timeout) throws InterruptedException;
    }

    private final Loaded loaded;
    private final Clock clock;
    private final Instant deadline;
    private volatile boolean open;

    public TableOpening(Loaded loaded, Clock clock, Instant deadline) {
        this.loaded = loaded;
        this.clock = clock;
        this.deadline = deadline;
    }

    /** A table that is complete from the start (nothing to load). */
    public static TableOpening opened() {
        TableOpening o = new TableOpening(t -> true, Clock.systemUTC(), Instant.MIN);
        o.open = true;
        return o;
    }

    /**
     * Returns once the table is loaded or the deadline has passed (at once after that); true when it was loaded.
     * An interrupt returns at once, false, with the thread's flag set again.
     */
    public boolean await() {
        if (open) {
            return true;
        }
        Duration left = Duration.between(clock.instant(), deadline);
        try {
            boolean done = loaded.await(left.isNegative() ? Duration.ZERO : left);
            if (done || !clock.instant().isBefore(deadline)) {
                open = true;
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
