package cms.web.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The job API waits for its table after a start, at most until the deadline, and never again once open. */
class TableOpeningTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant DEADLINE = T0.plusSeconds(10);

    private static Clock at(Duration sinceStart) {
        return Clock.fixed(T0.plus(sinceStart), ZoneOffset.UTC);
    }

    @Test
    void aRequestWaitsUntilTheTableIsLoadedThenNoneWaitsAgain() throws Exception {
        CountDownLatch table = new CountDownLatch(1);
        List<Duration> asked = new ArrayList<>();
        TableOpening opening = new TableOpening(timeout -> {
            synchronized (asked) {
                asked.add(timeout);
            }
            return table.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }, at(Duration.ofSeconds(4)), DEADLINE);

        CompletableFuture<Boolean> request = CompletableFuture.supplyAsync(opening::await);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (asked) {
                return !asked.isEmpty();
            }
        });
        assertFalse(request.isDone(), "answered while the table was loading");
        assertEquals(Duration.ofSeconds(6), asked.get(0), "waits at most until the deadline");
        table.countDown();
        assertTrue(request.get(5, TimeUnit.SECONDS));

        assertTrue(opening.await());
        assertEquals(1, asked.size(), "asked again once open");
    }

    @Test
    void pastTheDeadlineItOpensWithoutTheTableAndStaysOpen() {
        List<Duration> asked = new ArrayList<>();
        TableOpening opening = new TableOpening(timeout -> {
            asked.add(timeout);
            return false;
        }, at(Duration.ofSeconds(11)), DEADLINE);

        assertFalse(opening.await(), "not loaded");
        assertEquals(List.of(Duration.ZERO), asked);
        assertTrue(opening.await(), "open from then on");
        assertEquals(1, asked.size());
    }

    @Test
    void beforeTheDeadlineAWaitThatEndsEarlyLeavesItClosed() {
        List<Duration> asked = new ArrayList<>();
        TableOpening opening = new TableOpening(timeout -> {
            asked.add(timeout);
            return false;
        }, at(Duration.ZERO), DEADLINE);

        assertFalse(opening.await());
        assertFalse(opening.await());
        assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10)), asked, "still waits for the table");
    }

    @Test
    void anInterruptedRequestReturnsAtOnceWithItsFlagSet() throws Exception {
        TableOpening opening = new TableOpening(timeout -> {
            throw new InterruptedException();
        }, at(Duration.ZERO), DEADLINE);
        CompletableFuture<Boolean> flag = CompletableFuture.supplyAsync(() -> {
            boolean loaded = opening.await();
            return !loaded && Thread.interrupted();
        });
        assertTrue(flag.get(5, TimeUnit.SECONDS));
    }
}
