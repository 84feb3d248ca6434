package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.podWithNodes;
import static cms.rm.model.JobFixtures.json;
import static cms.rm.model.JobFixtures.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import cms.rm.model.JobBook.Answer;
import cms.rm.model.JobBook.Status;
import cms.rm.model.JobFixtures.Journal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bounds that keep one job or a flood of them from stopping the resource manager: a job whose
 * attempts keep being cut short ends FAILED, a job that cannot be sent fails alone, queues and payloads
 * have limits, a truncated result says so.
 */
class JobBookBoundsTest {

    private static final CloudState CLOUD = podWithNodes(CloudState.empty(), "web", 2, 2);
    /** 1 slot per node, 3 attempts, 2 queued per pod, payloads up to 80 bytes, 100 bytes of them in all. */
    private static final JobBook.Limits LIMITS = new JobBook.Limits(1, 3, Duration.ofMillis(100), 80, 60, 1000, 2, 100);

    private final Journal journal = new Journal(LIMITS);

    @Test
    void aJobCutShortByRestartsOnEveryAttemptEndsFailedAfterItsLimit() {
        journal.start("poison", "web", CLOUD, T0);
        for (int attempt = 2; attempt <= 3; attempt++) {
            JobEvent requeued = journal.recover(Set.of(), T0.plusSeconds(attempt)).get(0);
            assertEquals(attempt, assertInstanceOf(JobEvent.JobQueued.class, requeued).attemptOrFirst());
            journal.dispatch(CLOUD, T0.plusSeconds(attempt));
        }
        List<JobEvent> last = journal.recover(Set.of(), T0.plusSeconds(10));
        JobEvent.JobFailed failed = assertInstanceOf(JobEvent.JobFailed.class, last.get(0));
        assertEquals("gave up after 3 attempts; the last was cut short by a restart of the resource manager",
                failed.reason());
        assertEquals(Optional.of(Status.FAILED), journal.book.status("poison"));
        assertEquals(List.of(), journal.recover(Set.of(), T0.plusSeconds(11)));
    }

    @Test
    void aJobThatCannotBeSentFailsAloneWithoutARetry() {
        journal.start("j1", "web", CLOUD, T0);
        JobEvent e = journal.answered("j1", 1, new Answer.Undeliverable("Illegal character in path at index 23"),
                T0.plusSeconds(1)).orElseThrow();
        assertEquals("could not be sent: Illegal character in path at index 23",
                assertInstanceOf(JobEvent.JobFailed.class, e).reason());
    }

    @Test
    void aFullQueueRefusesTheNextJobWithTheReason() {
        CloudState paused = CLOUD.withPod(CLOUD.pod("web").orElseThrow().withPaused(true));
        journal.submit("a", "web", paused, T0).orElseThrow();
        journal.submit("b", "web", paused, T0).orElseThrow();
        JobEvent third = journal.submit("c", "web", paused, T0).orElseThrow();
        assertEquals("queue full: 2 jobs wait for pod 'web' (the limit is 2)",
                assertInstanceOf(JobEvent.JobFailed.class, third).reason());
        assertEquals(2, journal.book.queued("web"));
    }

    @Test
    void payloadsOfTheJobsNotEndedAreBoundedInAll() {
        var payload = json("{\"text\":\"" + "x".repeat(60) + "\"}");
        int bytes = payload.toString().length();
        journal.submit(submitted("big-1", "web", payload, null), bytes, CLOUD, T0).orElseThrow();
        assertEquals(bytes, journal.book.liveBytes());
        JobEvent second = journal.submit(submitted("big-2", "web", payload, null), bytes, CLOUD, T0).orElseThrow();
        assertTrue(assertInstanceOf(JobEvent.JobFailed.class, second).reason().startsWith(
                "queue full: the payloads of the jobs not ended take " + bytes + " bytes"));
        journal.dispatch(CLOUD, T0);
        journal.answered("big-1", 1, new Answer.Done("web-1", null, 5), T0.plusSeconds(1));
        assertEquals(0, journal.book.liveBytes(), "an ended job's payload no longer counts");
    }

    @Test
    void aTruncatedResultSucceedsAndSaysHowLongTheAnswerWas() {
        journal.start("j1", "web", CLOUD, T0);
        JobEvent e = journal.answered("j1", 1, new Answer.Done("web-1", json("\"abc\""), 7, 2_000_000L),
                T0.plusSeconds(1)).orElseThrow();
        JobEvent.JobSucceeded s = assertInstanceOf(JobEvent.JobSucceeded.class, e);
        assertTrue(s.resultTruncated());
        assertEquals(2_000_000L, s.resultBytes());
    }

    /**
     * A pod whose nodes all restart (the Docker engine restarted): the balancer has no server and answers
     * 503; no node saw the job, so it waits for one, tried again at most every 5 s, beyond its attempts,
     * until 5 minutes after it was queued; a 502 (a node may have had it) still counts as an attempt.
     */
    @Test
    void aJobWhosePodHasNoServerUpWaitsForOneWithinTheWindowThenFails() {
        journal.start("j", "web", CLOUD, T0);
        java.time.Instant now = T0;
        List<Long> backoffs = new java.util.ArrayList<>();
        for (int attempt = 1; attempt <= 8; attempt++) {
            now = now.plusSeconds(1);
            JobEvent e = journal.answered("j", attempt, new Answer.NodeFailure("the load balancer answered 503", true),
                    now).orElseThrow();
            JobEvent.JobQueued q = assertInstanceOf(JobEvent.JobQueued.class, e, "attempt " + attempt);
            backoffs.add(Duration.between(now, q.notBefore()).toMillis());
            now = q.notBefore();
            journal.dispatch(CLOUD, now);
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L), backoffs);
        JobEvent last = journal.answered("j", 9, new Answer.NodeFailure("the load balancer answered 503", true),
                T0.plus(Duration.ofMinutes(5))).orElseThrow();
        assertTrue(assertInstanceOf(JobEvent.JobFailed.class, last).reason().startsWith("gave up after 9 attempts"));

        journal.start("k", "web", CLOUD, T0);
        for (int attempt = 1; attempt < 3; attempt++) {
            journal.answered("k", attempt, new Answer.NodeFailure("the connection broke"), T0.plusSeconds(attempt));
            journal.dispatch(CLOUD, T0.plusSeconds(60));
        }
        assertInstanceOf(JobEvent.JobFailed.class, journal.answered("k", 3, new Answer.NodeFailure(
                "the connection broke"), T0.plusSeconds(61)).orElseThrow(), "a broken connection counts");
    }
}
