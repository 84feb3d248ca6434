package cms.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a real system in the command line's tools (benchmarks, test hosts): a condition asked again every
 * {@code every} until it holds or {@code atMost} has passed, as Awaitility does in the integration tests (main
 * code cannot use it). The pause between two asks is the only wait; nothing waits a fixed time for an effect.
 */
final class Poll {

    private Poll() {
    }

    /** Asks {@code done} until it answers true (then true) or {@code atMost} has passed (then false). */
    static boolean within(Duration atMost, Duration every, BooleanSupplier done) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(every.toMillis()); // the polling interval
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
        return true;
    }

    /** As {@link #within}, but a condition still false after {@code atMost} is an error naming {@code what}. */
    static void until(String what, Duration atMost, Duration every, BooleanSupplier done) {
        until(() -> what, atMost, every, done);
    }

    /** As {@link #until(String, Duration, Duration, BooleanSupplier)}, {@code what} told as it is at the end. */
    static void until(Supplier<String> what, Duration atMost, Duration every, BooleanSupplier done) {
        if (!within(atMost, every, done)) {
            throw new IllegalStateException("not within " + atMost.toMillis() / 1000.0 + " s: " + what.get());
        }
    }
}
