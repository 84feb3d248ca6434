package cms.web.model;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * The most recent items, oldest first: at most {@code capacity} of them and, when a window is given,
 * none older than the window before the time they are pruned at.
 */
public final class Ring<T> {

    private final int capacity;
    private final long windowMillis;
    private final Function<T, Instant> time;
    private final Deque<T> items = new ArrayDeque<>();

    private Ring(int capacity, long windowMillis, Function<T, Instant> time) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.windowMillis = windowMillis;
        this.time = time;
    }

    /** The last {@code capacity} items, however old. */
    public static <T> Ring<T> lastN(int capacity) {
        return new Ring<>(capacity, -1, null);
    }

    /** Items of the last {@code windowMillis} (by {@code time}), at most {@code capacity}. */
    public static <T> Ring<T> window(int capacity, long windowMillis, Function<T, Instant> time) {
        return new Ring<>(capacity, windowMillis, time);
    }

    public void add(T item) {
        items.addLast(item);
        while (items.size() > capacity) {
            items.removeFirst();
        }
    }

    /** Drops what fell out of the window; items are assumed to come roughly in time order. */
    public void prune(Instant now) {
        if (time == null) {
            return;
        }
        Instant from = now.minusMillis(windowMillis);
        while (!items.isEmpty() && time.apply(items.peekFirst()).isBefore(from)) {
            items.removeFirst();
        }
    }

    public T last() {
        return items.peekLast();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public int size() {
        return items.size();
    }

    public List<T> toList() {
        return new ArrayList<>(items);
    }
}
