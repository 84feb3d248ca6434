package cms.elasticity.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * The time rules for one pod, beside the pure strategies. A scale-out happens once its reason has held
 * for the scale-out window, and no sooner than the scale-out cool-down after the previous scale-out. A
 * scale-in goes to the largest size recommended during the scale-in window, which slides over the
 * recommendations (a change does not restart it): it needs a full window of watching since the first
 * evaluation, and the scale-in cool-down since the last change of either direction. The policy's step
 * then limits one change: {@code ONE} node at a time, or {@code PROPORTIONAL} straight to the size.
 * Bounds are enforced last and say so. It reads time only from the {@code now} it is given.
 * <p>
 * The fast path, beside: when the load jumps (a {@link Strategies#surge surge} in every reading over {@link #SURGE_SPAN}
 * of load: each reading measures the second before it, so two readings half a second apart, or a second apart where
 * samples come once a second; a reading's time is its samples' own, so evaluations that read the same samples again
 * neither hold nor end it), the pod grows at once to the size the jump asks for, without the scale-out
 * window; only the scale-out cool-down after its previous scale-out holds it, so that nodes it just asked for can
 * start before a saturated reading asks again. Its decisions begin with "fast path:" and say over how much load the
 * surge held.
 */
public final class Stabilizer {

    private record Seen(Instant at, int nodes) {
    }

    private final Deque<Seen> history = new ArrayDeque<>();
    private Instant outSince;
    private Instant firstSeen;
    private Instant lastOut;
    private Instant lastChange;
    private Instant surgeSince;
    /** The readings of the surge so far, and when the latest was measured. */
    private int surgeReadings;
    private Instant surgeLastRead;

    /** How a fast path decision's reason begins. */
    private static final String FAST_PATH = "fast path: ";

    /** What one reading measures: the second before it (a balancer's request rate, a node's CPU share). */
    public static final Duration SAMPLE_WINDOW = Duration.ofSeconds(1);
    /**
     * How much load the readings that see a surge must cover together (from the start of the first one's second to
     * the last one's time): the load jumped, it was not one sample.
     */
    public static final Duration SURGE_SPAN = Duration.ofMillis(1500);
    /** So the reading that ends a surge's hold is measured this long after the first: half a second. */
    public static final Duration SURGE_HOLD = SURGE_SPAN.minus(SAMPLE_WINDOW);
    /**
     * How much sooner than {@link #SURGE_HOLD} the next sample may be measured and still count (a sampler's period
     * wanders by some milliseconds either way).
     */
    static final Duration SAMPLE_JITTER = Duration.ofMillis(100);

    /**
     * The normal path with {@code rec}, unless {@code surge} (the fast path's reading of the last second, empty when
     * the load did not jump) has held for {@link #SURGE_HOLD} and asks for more than {@code current}.
     */
    public Decision decide(Recommendation rec, Optional<Recommendation> surge, int current, ScalingPolicy p, Instant now) {
        return decide(rec, surge, current, p, now, now);
    }

    /**
     * As {@link #decide(Recommendation, Optional, int, ScalingPolicy, Instant)} with the time {@code readAt} the
     * surge's reading was measured: the hold counts from the first reading that showed it to a later one.
     */
    public Decision decide(Recommendation rec, Optional<Recommendation> surge, int current, ScalingPolicy p, Instant now,
                           Instant readAt) {
        if (surge.isEmpty()) {
            surgeSince = null;
            return decide(rec, current, p, now);
        }
        if (surgeSince == null) {
            surgeSince = readAt;
            surgeReadings = 0;
            surgeLastRead = null;
        }
        if (!readAt.equals(surgeLastRead)) {
            surgeReadings++;
            surgeLastRead = readAt;
        }
        int wanted = clamp(surge.get().nodes(), p);
        boolean held = !readAt.isBefore(surgeSince.plus(SURGE_HOLD).minus(SAMPLE_JITTER));
        boolean cooling = lastOut != null && now.isBefore(lastOut.plus(p.scaleOutCooldown()));
        if (!held || cooling || wanted <= current || current < p.min() || current > p.max()) {
            return decide(rec, current, p, now);
        }
        if (firstSeen == null) {
            firstSeen = now;
        }
        history.addLast(new Seen(now, wanted));
        Duration span = Duration.between(surgeSince, readAt).plus(SAMPLE_WINDOW);
        surgeSince = null;
        String bound = wanted != surge.get().nodes() ? String.format(Locale.ROOT, " (wants %d, held to MAX %d)",
                surge.get().nodes(), wanted) : "";
        Decision d = changed(current, wanted, FAST_PATH + surge.get().reason() + " in " + surgeReadings
                + " samples over " + seconds(Duration.ofMillis(Math.round(span.toMillis() / 100.0) * 100)) + bound
                + String.format(Locale.ROOT, ": %d → %d nodes", current, wanted), now, true);
        return new Decision(d.from(), d.to(), d.reason(), true);
    }

    public Decision decide(Recommendation rec, int current, ScalingPolicy p, Instant now) {
        if (firstSeen == null) {
            firstSeen = now;
        }
        int wanted = clamp(rec.nodes(), p);
        history.addLast(new Seen(now, wanted));
        Instant windowStart = now.minus(p.scaleInWindow());
        while (history.peekFirst().at().isBefore(windowStart)) {
            history.removeFirst();
        }
        if (current < p.min() || current > p.max()) {
            int to = current < p.min() ? p.min() : p.max();
            return changed(current, to, String.format(Locale.ROOT, "%d nodes is outside [%d, %d]: %d → %d nodes",
                    current, p.min(), p.max(), current, to), now, to > current);
        }
        String bound = wanted != rec.nodes() ? String.format(Locale.ROOT, " (wants %d, held to %s %d)", rec.nodes(),
                wanted == p.max() ? "MAX" : "MIN", wanted) : "";
        if (wanted > current) {
            return scaleOut(rec.reason(), bound, wanted, current, p, now);
        }
        outSince = null;
        if (wanted < current) {
            return scaleIn(rec.reason(), bound, current, p, now);
        }
        return hold(current, rec.reason() + bound);
    }

    /**
     * A pod at 0 nodes whose requests wait for it ({@link Strategies#fromZero}): a recommendation of any node is
     * taken at once, without the scale-out window or cool-down (a held request is demand for certain, and every
     * second of waiting is its client's); none is an ordinary evaluation at 0 nodes. Its decisions begin with
     * "from zero:".
     */
    public Decision wake(Recommendation rec, ScalingPolicy p, Instant now) {
        int wanted = clamp(rec.nodes(), p);
        if (wanted <= 0) {
            return decide(rec, 0, p, now);
        }
        if (firstSeen == null) {
            firstSeen = now;
        }
        history.addLast(new Seen(now, wanted));
        String bound = wanted != rec.nodes() ? String.format(Locale.ROOT, " (wants %d, held to MAX %d)", rec.nodes(),
                wanted) : "";
        return changed(0, wanted, "from zero: " + rec.reason() + bound + String.format(Locale.ROOT, ": 0 → %d nodes",
                wanted), now, true);
    }

    /** {@code bound}: what clamping to MIN/MAX did to the recommendation, said after the time rule. */
    private Decision scaleOut(String reason, String bound, int wanted, int current, ScalingPolicy p, Instant now) {
        if (outSince == null) {
            outSince = now;
        }
        if (now.isBefore(outSince.plus(p.scaleOutWindow()))) {
            return hold(current, reason + bound + ": waiting for it to hold " + seconds(p.scaleOutWindow()));
        }
        if (lastOut != null && now.isBefore(lastOut.plus(p.scaleOutCooldown()))) {
            return hold(current, reason + bound + ": scale-out cool-down until "
                    + lastOut.plus(p.scaleOutCooldown()));
        }
        int to = p.step() == ScalingPolicy.Step.ONE ? current + 1 : wanted;
        return changed(current, to, reason + " for " + seconds(Duration.between(outSince, now)) + bound
                + step(to, wanted) + String.format(Locale.ROOT, ": %d → %d nodes", current, to), now, true);
    }

    private Decision scaleIn(String reason, String bound, int current, ScalingPolicy p, Instant now) {
        if (now.isBefore(firstSeen.plus(p.scaleInWindow()))) {
            return hold(current, reason + bound + ": watching for " + seconds(p.scaleInWindow())
                    + " before shrinking");
        }
        int largest = history.stream().mapToInt(Seen::nodes).max().orElse(current);
        if (largest >= current) {
            return hold(current, reason + bound + ": " + largest + " nodes were still wanted within the last "
                    + seconds(p.scaleInWindow()));
        }
        if (lastChange != null && now.isBefore(lastChange.plus(p.scaleInCooldown()))) {
            return hold(current, reason + bound + ": scale-in cool-down until "
                    + lastChange.plus(p.scaleInCooldown()));
        }
        int to = p.step() == ScalingPolicy.Step.ONE ? current - 1 : largest;
        return changed(current, to, reason + " for the last " + seconds(p.scaleInWindow()) + bound
                + step(to, largest) + String.format(Locale.ROOT, ": %d → %d nodes", current, to), now, false);
    }

    private Decision changed(int from, int to, String reason, Instant now, boolean out) {
        lastChange = now;
        if (out) {
            lastOut = now;
        }
        outSince = null;
        return new Decision(from, to, reason);
    }

    private static Decision hold(int current, String reason) {
        return new Decision(current, current, reason);
    }

    private static String step(int to, int wanted) {
        return to == wanted ? "" : " (one node at a time towards " + wanted + ")";
    }

    private static int clamp(int nodes, ScalingPolicy p) {
        return Math.max(p.min(), Math.min(p.max(), nodes));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }
}
