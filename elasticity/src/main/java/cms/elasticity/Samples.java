package cms.elasticity;

import java.time.Instant;
import java.util.Deque;
import java.util.Map;
import java.util.function.Function;

/**
 * The bounds on the samples the elasticity service keeps: those of the smoothing window, and at most
 * {@link #MAX_PER_KEY} per node or pod whatever their times say, so memory does not grow with pods that
 * are not evaluated, nor with a producer that stamps its samples in the future.
 */
final class Samples {

    static final int MAX_PER_KEY = 600;

    private Samples() {
    }

    /** Adds a sample to its key's deque, dropping the oldest beyond {@link #MAX_PER_KEY}. */
    static <S> void add(Map<String, Deque<S>> byKey, String key, S sample) {
        Deque<S> samples = byKey.computeIfAbsent(key, k -> new java.util.ArrayDeque<>());
        samples.addLast(sample);
        if (samples.size() > MAX_PER_KEY) {
            samples.removeFirst();
        }
    }

    static <S> void prune(Map<String, Deque<S>> byKey, Instant from, Function<S, Instant> at) {
        byKey.values().forEach(samples -> {
            while (!samples.isEmpty() && at.apply(samples.peekFirst()).isBefore(from)) {
                samples.removeFirst();
            }
        });
        byKey.values().removeIf(Deque::isEmpty);
    }

    /** Samples kept in all (for tests and diagnostics). */
    static <S> int count(Map<String, Deque<S>> byKey) {
        return byKey.values().stream().mapToInt(Deque::size).sum();
    }
}
