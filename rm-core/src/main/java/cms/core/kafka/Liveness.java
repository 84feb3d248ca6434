package cms.core.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The loops of one process and how each is doing: every loop registers itself; the health endpoint and
 * the process's supervisor read {@link #loops()}. A loop stuck in its handler, or riding out a fault,
 * counts as down.
 */
public final class Liveness {

    /** A running loop with no progress for this long is stuck. */
    public static final Duration STALE = Duration.ofSeconds(30);

    private final Clock clock;
    private final Duration stale;
    private final Map<String, Supplier<LoopHealth>> loops = new ConcurrentSkipListMap<>();

    public Liveness(Clock clock, Duration stale) {
        this.clock = clock;
        this.stale = stale;
    }

    public Liveness(Clock clock) {
        this(clock, STALE);
    }

    public void register(String loop, Supplier<LoopHealth> health) {
        loops.put(loop, health);
    }

    public void unregister(String loop) {
        loops.remove(loop);
    }

    public List<LoopHealth> loops() {
        return loops.values().stream().map(Supplier::get).toList();
    }

    public boolean up(LoopHealth h) {
        return h.up(clock.instant(), stale);
    }

    /** Every loop up. */
    public boolean allUp() {
        return loops().stream().allMatch(this::up);
    }

    public Clock clock() {
        return clock;
    }
}
