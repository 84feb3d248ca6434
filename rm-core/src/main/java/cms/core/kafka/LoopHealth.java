package cms.core.kafka;

import java.time.Duration;
import java.time.Instant;

/**
 * What one loop of a service says of itself: its state, when it last made progress (a poll or a turn
 * that came back), and the fault it is riding out, if any.
 */
public record LoopHealth(String loop, State state, Instant lastProgress, Instant faultSince, String lastFault,
                         int reopened) {

    public enum State {
        /** Opening its clients or rebuilding its state. */
        STARTING,
        /** Polling and handling. */
        RUNNING,
        /** A transient fault: backing off, then opening new clients. */
        RETRYING,
        /** Ended by a fault it cannot ride out; the process should be restarted. */
        FAILED,
        /** Stopped on request. */
        STOPPED
    }

    /**
     * Up: starting, or running and made progress within {@code stale}. A loop riding out a fault is
     * down until it runs again (it is not dead: it comes back by itself); a loop whose handler is stuck
     * (no progress) is down too.
     */
    public boolean up(Instant now, Duration stale) {
        return switch (state) {
            case RUNNING -> lastProgress != null && !now.isAfter(lastProgress.plus(stale));
            case STARTING -> true;
            case RETRYING, FAILED, STOPPED -> false;
        };
    }
}
