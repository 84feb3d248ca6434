package cms.web.live;

import cms.web.model.LiveEvent;
import cms.web.model.StreamFilter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stream client: its filter, what it missed before it subscribed ({@link #replay()}), and a bounded
 * queue of live events. The live view's thread never waits for a client: when the queue is full the
 * client is dropped, and its own thread ends the stream.
 */
final class Subscriber {

    /** Put in the queue to wake the client's thread when it is dropped or closed. */
    private static final LiveEvent END = new LiveEvent(-1, null, null, 0, null, null);

    private final StreamFilter filter;
    private final List<LiveEvent> replay;
    private final int capacity;
    private final LinkedBlockingQueue<LiveEvent> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean ended;
    private volatile boolean dropped;

    Subscriber(StreamFilter filter, List<LiveEvent> replay, int capacity) {
        this.filter = filter;
        this.replay = List.copyOf(replay);
        this.capacity = capacity;
    }

    List<LiveEvent> replay() {
        return replay;
    }

    /** Queues the event if the filter wants it; false when this client is too far behind and was dropped. */
    boolean offer(LiveEvent e) {
        if (ended || !filter.matches(e)) {
            return !dropped;
        }
        if (queued.incrementAndGet() > capacity) {
            dropped = true;
            end();
            return false;
        }
        queue.add(e);
        return true;
    }

    /** The next event, or null when none came within {@code wait} or the stream has ended. */
    LiveEvent poll(Duration wait) throws InterruptedException {
        LiveEvent e = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null || e == END) {
            return null;
        }
        queued.decrementAndGet();
        return e;
    }

    void end() {
        if (!ended) {
            ended = true;
            queue.add(END);
        }
    }

    boolean ended() {
        return ended;
    }

    boolean dropped() {
        return dropped;
    }

    int backlog() {
        return Math.max(0, queued.get());
    }
}
