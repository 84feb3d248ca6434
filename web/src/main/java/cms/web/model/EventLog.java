package cms.web.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Every event of the visible window in sequence order, for clients that resume: bounded by the window
 * (by record timestamp) and by a count, whichever is smaller.
 */
public final class EventLog {

    private final long windowMillis;
    private final int capacity;
    private final Deque<LiveEvent> events = new ArrayDeque<>();

    public EventLog(long windowMillis, int capacity) {
        this.windowMillis = windowMillis;
        this.capacity = capacity;
    }

    public void append(LiveEvent e) {
        events.addLast(e);
        while (events.size() > capacity) {
            events.removeFirst();
        }
    }

    /** Drops events older than the window; a late record of another partition may stay a little longer. */
    public void prune(long nowMillis) {
        long from = nowMillis - windowMillis;
        while (!events.isEmpty() && events.peekFirst().ts() < from) {
            events.removeFirst();
        }
    }

    /** What a client at {@code cursor} missed, matching {@code filter}, oldest first. */
    public List<LiveEvent> replay(StreamCursor cursor, StreamFilter filter) {
        List<LiveEvent> out = new ArrayList<>();
        if (cursor.live()) {
            return out;
        }
        if (cursor.afterSeq() != null) {
            // sequence numbers grow by one per event: walk back from the end to the first wanted
            Iterator<LiveEvent> back = events.descendingIterator();
            List<LiveEvent> reversed = new ArrayList<>();
            while (back.hasNext()) {
                LiveEvent e = back.next();
                if (e.seq() <= cursor.afterSeq()) {
                    break;
                }
                if (filter.matches(e)) {
                    reversed.add(e);
                }
            }
            for (int i = reversed.size() - 1; i >= 0; i--) {
                out.add(reversed.get(i));
            }
            return out;
        }
        for (LiveEvent e : events) {
            if (cursor.wants(e) && filter.matches(e)) {
                out.add(e);
            }
        }
        return out;
    }

    public int size() {
        return events.size();
    }

    public long lastSeq() {
        return events.isEmpty() ? 0 : events.peekLast().seq();
    }
}
