package cms.elasticity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When pods are evaluated, on a fake clock. */
class EvaluationScheduleTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<String> PODS = List.of("a", "b");
    private final EvaluationSchedule schedule = new EvaluationSchedule(Duration.ofSeconds(1));

    private Optional<Set<String>> at(long millis) {
        return schedule.due(T0.plusMillis(millis), PODS).map(EvaluationSchedule.Due::pods);
    }

    @Test
    void onlyATickSaysItIsOne() {
        assertEquals(true, schedule.due(T0, PODS).orElseThrow().tick(), "the first turn is a tick");
        schedule.sampled("a");
        assertEquals(false, schedule.due(T0.plusMillis(310), PODS).orElseThrow().tick(), "a sample's turn is not");
        assertEquals(true, schedule.due(T0.plusMillis(1000), PODS).orElseThrow().tick());
        schedule.now();
        assertEquals(true, schedule.due(T0.plusMillis(1050), PODS).orElseThrow().tick(), "requests waiting: a tick");
    }

    @Test
    void everyPodEachTickAndASampledPodAtOnceBetweenTicks() {
        assertEquals(Optional.of(Set.of("a", "b")), at(0), "the first turn is a tick");
        assertEquals(Optional.empty(), at(300), "no sample, no tick: nothing");
        schedule.sampled("a");
        assertEquals(Optional.of(Set.of("a")), at(310), "a new sample about a: a, at once");
        assertEquals(Optional.empty(), at(320), "that sample was evaluated");
        assertEquals(Optional.of(Set.of("a", "b")), at(1000));
        schedule.sampled("gone");
        assertEquals(Optional.of(Set.of()), at(1100), "a sample about a pod not known: nothing to evaluate");
    }

    @Test
    void aPodJustDecidedOnWaitsForTheResourceManagersStateOrATick() {
        at(0);
        schedule.decided("a", T0.plusMillis(10));
        schedule.sampled("a");
        schedule.sampled("b");
        assertEquals(Optional.of(Set.of("b")), at(20), "a's state does not show its decision yet");
        schedule.sampled("a");
        assertEquals(Optional.of(Set.of()), at(500));
        schedule.shown("a");
        schedule.sampled("a");
        assertEquals(Optional.of(Set.of("a")), at(510), "the resource manager's state of a was read");
        schedule.decided("b", T0.plusMillis(900));
        assertEquals(Optional.of(Set.of("a")), at(1000), "b was decided on 100 ms ago: not at this tick either");
        schedule.sampled("b");
        assertEquals(Optional.of(Set.of("b")), at(1900), "a tick's time after its decision, b is evaluated again");
    }

    @Test
    void requestsWaitingMakeTheNextTurnATick() {
        at(0);
        schedule.now();
        assertEquals(Optional.of(Set.of("a", "b")), at(50));
    }
}
