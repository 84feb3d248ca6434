package cms.elasticity;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which pods the elasticity service evaluates, and when: a pod as soon as a new sample about it is read (a load step
 * is seen when its sample comes, not up to a tick later), and every pod each tick ({@code every}), for what time alone
 * changes (holds and windows ending, samples that stop coming). A pod just decided on is left alone until the
 * resource manager's state of it is read again or a tick has passed, so that it is not decided on twice from the
 * state before the first decision was applied. Pure: times come from the caller.
 */
final class EvaluationSchedule {

    private final Duration every;
    private Instant next;
    private final Set<String> sampled = new HashSet<>();
    private final Map<String, Instant> unapplied = new HashMap<>();

    EvaluationSchedule(Duration every) {
        this.every = every;
    }

    /** A sample about {@code pod} was read. */
    void sampled(String pod) {
        sampled.add(pod);
    }

    /** Every pod is evaluated at the next turn (requests wait for a pod at 0 nodes). */
    void now() {
        next = null;
    }

    /** The resource manager's state of {@code pod} was read. */
    void shown(String pod) {
        unapplied.remove(pod);
    }

    /** A decision on {@code pod} was published at {@code at}. */
    void decided(String pod, Instant at) {
        unapplied.put(pod, at);
    }

    /**
     * An evaluation that is due: the pods to evaluate, and whether it is a tick (when the evaluator also looks after
     * what it keeps of every pod, once a tick rather than at each sample).
     */
    record Due(Set<String> pods, boolean tick) {
    }

    /**
     * The evaluation due at {@code now}, of {@code pods}; empty when none is (a tick is due even with no pod to
     * evaluate: the evaluator forgets what it kept of pods that are gone).
     */
    Optional<Due> due(Instant now, Collection<String> pods) {
        boolean tick = next == null || !now.isBefore(next);
        if (!tick && sampled.isEmpty()) {
            return Optional.empty();
        }
        Set<String> due = new HashSet<>(tick ? pods : sampled);
        due.retainAll(pods);
        sampled.clear();
        if (tick) {
            next = now.plus(every);
        }
        unapplied.values().removeIf(at -> !now.isBefore(at.plus(every)));
        due.removeAll(unapplied.keySet());
        return Optional.of(new Due(due, tick));
    }
}
