package cms.core.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The broker watch with a fake probe on a mutable clock: what it says, since when, and what callers get. */
class BrokerWatchTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    /** What the fake probe throws next; null: the cluster answers. */
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final BrokerWatch watch = new BrokerWatch(t -> {
        Exception e = failure.get();
        if (e != null) {
            throw e;
        }
    }, clock, Duration.ofSeconds(1), Duration.ofSeconds(1));

    @Test
    void reachableAtStartAndWhileTheProbeAnswers() {
        watch.probeOnce();
        assertEquals(new BrokerWatch.Status(true, T0, null), watch.status());
        watch.require();
    }

    @Test
    void aFailedProbeMakesItUnreachableSinceThenWithTheReason() {
        clock.advance(Duration.ofSeconds(3));
        failure.set(new TimeoutException("Timed out waiting for a node assignment. Call: describeCluster\nmore"));
        watch.probeOnce();
        clock.advance(Duration.ofSeconds(2));
        watch.probeOnce();

        BrokerWatch.Status s = watch.status();
        assertFalse(s.reachable());
        assertEquals(T0.plusSeconds(3), s.since(), "since the first failed probe");
        assertEquals("TimeoutException: Timed out waiting for a node assignment. Call: describeCluster", s.reason());
        BrokerUnreachableException e = assertThrows(BrokerUnreachableException.class, watch::require);
        assertEquals(BrokerWatch.RETRY_AFTER_SECONDS, e.retryAfterSeconds());
        assertTrue(e.getMessage().startsWith("Kafka is unreachable (since 2025-03-01T10:00:03Z: TimeoutException"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void itIsReachableAgainByItselfWhenTheProbeAnswersAgain() {
        failure.set(new IllegalStateException("down"));
        watch.probeOnce();
        clock.advance(Duration.ofSeconds(90));
        failure.set(null);
        watch.probeOnce();

        assertEquals(new BrokerWatch.Status(true, T0.plusSeconds(90), null), watch.status());
        watch.require();
    }

    @Test
    void awaitGivesUpAtOnceWhenTheClusterIsUnreachable() {
        CompletableFuture<String> never = new CompletableFuture<>();
        failure.set(new IllegalStateException("down"));
        watch.probeOnce();
        long t0 = System.nanoTime();
        assertThrows(BrokerUnreachableException.class, () -> watch.await(never, Duration.ofSeconds(30)));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos());
    }

    @Test
    void aFutureWatchedFailsAsSoonAsTheClusterIsDeclaredUnreachableAndAtOnceWhileItIs() {
        CompletableFuture<String> pending = watch.failWhenUnreachable(new CompletableFuture<>());
        CompletableFuture<String> answered = watch.failWhenUnreachable(new CompletableFuture<>());
        answered.complete("taken");
        watch.probeOnce();
        assertFalse(pending.isDone(), "reachable: still waiting");
        failure.set(new IllegalStateException("down"));
        watch.probeOnce();
        ExecutionException e = assertThrows(ExecutionException.class, pending::get);
        assertTrue(e.getCause() instanceof BrokerUnreachableException, e.toString());
        assertEquals("taken", answered.join(), "one that completed first keeps its answer");
        CompletableFuture<String> later = watch.failWhenUnreachable(new CompletableFuture<>());
        assertTrue(later.isCompletedExceptionally(), "while unreachable: failed at once");
    }

    @Test
    void awaitReturnsTheAnswerOrTimesOut() throws Exception {
        assertEquals("yes", watch.await(CompletableFuture.completedFuture("yes"), Duration.ofSeconds(1)));
        assertThrows(TimeoutException.class, () -> watch.await(new CompletableFuture<>(), Duration.ofMillis(120)));
        assertNull(watch.status().reason());
    }

    /** A slow probe on a loaded machine is not an outage: two failed probes in a row are. */
    @Test
    void withTwoFailuresToDeclareOneSlowProbeIsNotAnOutage() {
        BrokerWatch patient = new BrokerWatch(t -> {
            Exception e = failure.get();
            if (e != null) {
                throw e;
            }
        }, clock, Duration.ofMillis(500), Duration.ofSeconds(2), 2);
        failure.set(new TimeoutException("no answer within 2000 ms"));
        patient.probeOnce();
        assertTrue(patient.status().reachable(), "one slow probe");
        failure.set(null);
        patient.probeOnce();
        failure.set(new TimeoutException("no answer within 2000 ms"));
        patient.probeOnce();
        assertTrue(patient.status().reachable(), "not two in a row");
        Instant first = clock.instant();
        clock.advance(Duration.ofSeconds(2));
        patient.probeOnce();
        assertFalse(patient.status().reachable());
        assertEquals(first, patient.status().since(), "since the first of the failed probes");
    }
}
