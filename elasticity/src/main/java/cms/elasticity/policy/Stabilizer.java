package cms.elasticity.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The time rules for one pod, beside the pure strategies: a scale-out happens only when its reason has
 * held for the scale-out window; a scale-in goes to the largest size recommended during the scale-in
 * window, and only once the window is full; after a change, the same direction waits for its
 * cool-down (and a scale-in also waits after a scale-out). Bounds are enforced last and say so. It
 * reads time only from the {@code now} it is given.
 */
public final class Stabilizer {

    private record Seen(Instant at, int nodes) {
    }

    private final Deque<Seen> history = new ArrayDeque<>();
    private Instant outSince;
    private Instant firstSeen;
    private Instant lastOut;
    private Instant lastChange;

    public Decision decide(Recommendation rec, int current, ScalingPolicy p, Instant now) {
        if (firstSeen == null) {
            firstSeen = now;
        }
        int wanted = clamp(rec.nodes(), p);
        history.addLast(new Seen(now, wanted));
        Duration keep = p.scaleInWindow().compareTo(p.scaleOutWindow()) > 0 ? p.scaleInWindow() : p.scaleOutWindow();
        while (!history.isEmpty() && history.peekFirst().at().isBefore(now.minus(keep))) {
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
            if (outSince == null) {
                outSince = now;
            }
            if (now.isBefore(outSince.plus(p.scaleOutWindow()))) {
                return hold(current, rec.reason() + bound + ": waiting for it to hold " + seconds(p.scaleOutWindow()));
            }
            if (lastOut != null && now.isBefore(lastOut.plus(p.scaleOutCooldown()))) {
                return hold(current, rec.reason() + bound + ": scale-out cool-down until " + lastOut.plus(
                        p.scaleOutCooldown()));
            }
            return changed(current, wanted, rec.reason() + " for " + seconds(Duration.between(outSince, now)) + bound
                    + String.format(Locale.ROOT, ": %d → %d nodes", current, wanted), now, true);
        }
        outSince = null;
        if (wanted < current) {
            if (now.isBefore(firstSeen.plus(p.scaleInWindow()))) {
                return hold(current, rec.reason() + bound + ": watching for " + seconds(p.scaleInWindow())
                        + " before shrinking");
            }
            int largest = history.stream().filter(s -> !s.at().isBefore(now.minus(p.scaleInWindow())))
                    .mapToInt(Seen::nodes).max().orElse(current);
            if (largest >= current) {
                return hold(current, rec.reason() + bound + ": " + largest + " nodes were still wanted within the last "
                        + seconds(p.scaleInWindow()));
            }
            if (lastChange != null && now.isBefore(lastChange.plus(p.scaleInCooldown()))) {
                return hold(current, rec.reason() + bound + ": scale-in cool-down until " + lastChange.plus(
                        p.scaleInCooldown()));
            }
            return changed(current, largest, rec.reason() + " for the last " + seconds(p.scaleInWindow()) + bound
                    + String.format(Locale.ROOT, ": %d → %d nodes", current, largest), now, false);
        }
        return hold(current, rec.reason() + bound);
    }

    private Decision changed(int from, int to, String reason, Instant now, boolean out) {
        lastChange = now;
        if (out) {
            lastOut = now;
        }
        outSince = null;
        history.clear();
        firstSeen = now;
        return new Decision(from, to, reason);
    }

    private static Decision hold(int current, String reason) {
        return new Decision(current, current, reason);
    }

    private static int clamp(int nodes, ScalingPolicy p) {
        return Math.max(p.min(), Math.min(p.max(), nodes));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }
}
