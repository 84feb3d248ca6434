package cms.elasticity.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The time rules for one pod, beside the pure strategies. A scale-out happens once its reason has held
 * for the scale-out window, and no sooner than the scale-out cool-down after the previous scale-out. A
 * scale-in goes to the largest size recommended during the scale-in window, which slides over the
 * recommendations (a change does not restart it): it needs a full window of watching since the first
 * evaluation, and the scale-in cool-down since the last change of either direction. The policy's step
 * then limits one change: {@code ONE} node at a time, or {@code PROPORTIONAL} straight to the size.
 * Bounds are enforced last and say so. It reads time only from the {@code now} it is given.
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
