package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.podWithNodes;
import static cms.rm.model.JobFixtures.LIMITS;
import static cms.rm.model.JobFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import cms.rm.model.JobBook.Answer;
import cms.rm.model.JobBook.Status;
import cms.rm.model.JobFixtures.Journal;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an attempt's answer, an abort and a restart do to a job (limits: 4 attempts, 100 ms first back-off). */
class JobBookAnswersTest {

    private static final CloudState CLOUD = podWithNodes(CloudState.empty(), "web", 2, 2);

    private final Journal journal = new Journal(LIMITS);
    private final JobBook book = journal.book;

    private void assertEnded(String jobId, Status end) {
        assertEquals(Optional.of(end), book.status(jobId));
        assertEquals(Optional.empty(), book.live(jobId));
        assertEquals(0, book.running("web"));
        assertEquals(0, book.queued("web"));
        assertEquals(List.of(), journal.dispatch(CLOUD, T0.plusSeconds(3600)), "an ended job is not sent again");
    }

    @Test
    void doneSucceedsWithTheNodeResultAndDuration() {
        journal.start("j1", "web", CLOUD, T0);
        JsonNode result = json("{\"sha256\":\"ab\"}");

        JobEvent e = journal.answered("j1", 1, new Answer.Done("web-2", result, 42), T0.plusSeconds(1)).orElseThrow();

        JobEvent.JobSucceeded s = assertInstanceOf(JobEvent.JobSucceeded.class, e);
        assertEquals("web", s.pod());
        assertEquals("web-2", s.node());
        assertEquals(result, s.result());
        assertEquals(42, s.durationMs());
        assertEquals(1, s.attempt());
        assertEquals(T0.plusSeconds(1), s.at());
        assertEnded("j1", Status.SUCCEEDED);
    }

    @Test
    void aRefusalByTheWorkloadFailsWithoutARetry() {
        journal.start("j1", "web", CLOUD, T0);

        JobEvent e = journal.answered("j1", 1, new Answer.Refused("web-1", 422, "bad input"), T0).orElseThrow();

        JobEvent.JobFailed f = assertInstanceOf(JobEvent.JobFailed.class, e);
        assertEquals("the workload on node web-1 answered 422: bad input", f.reason());
        assertEquals("web-1", f.node());
        assertEquals(1, f.attempt());
        assertEnded("j1", Status.FAILED);
    }

    @Test
    void aRefusalWithoutNodeOrMessageSaysTheStatus() {
        journal.start("j1", "web", CLOUD, T0);
        JobEvent.JobFailed f = (JobEvent.JobFailed) journal.answered("j1", 1, new Answer.Refused(null, 500, " "), T0)
                .orElseThrow();
        assertEquals("the workload answered 500", f.reason());
        assertNull(f.node());
    }

    @Test
    void aTimeoutFailsWithoutARetryNamingTheLimit() {
        journal.start("j1", "web", CLOUD, T0);

        JobEvent e = journal.answered("j1", 1, new Answer.TimedOut(Duration.ofSeconds(30)), T0).orElseThrow();

        assertEquals("no answer within 30 s", assertInstanceOf(JobEvent.JobFailed.class, e).reason());
        assertEnded("j1", Status.FAILED);
    }

    @Test
    void theBalancersOwn504AfterTheJobsLimitFailsTheJobOnceWithoutARetry() {
        journal.start("j1", "web", CLOUD, T0);

        JobEvent e = journal.answered("j1", 1, JobAnswers.of(504, null, null, 30_004), T0.plusSeconds(30))
                .orElseThrow();

        assertEquals("no answer within 30 s", assertInstanceOf(JobEvent.JobFailed.class, e).reason());
        assertEnded("j1", Status.FAILED);
    }

    @Test
    void aNodeFailureRetriesWithADoublingBackOffUntilTheAttemptsAreUsedUp() {
        JsonNode payload = json("{\"n\":7}");
        journal.submit(JobFixtures.submitted("j1", "web", payload, 9), 7, CLOUD, T0).orElseThrow();
        journal.dispatch(CLOUD, T0);
        Instant now = T0;
        for (int attempt = 1; attempt < LIMITS.maxAttempts(); attempt++) {
            JobEvent e = journal.answered("j1", attempt, new Answer.NodeFailure("refused"), now).orElseThrow();

            JobEvent.JobQueued q = assertInstanceOf(JobEvent.JobQueued.class, e);
            long backoff = 100L << (attempt - 1);
            assertEquals(attempt + 1, q.attemptOrFirst());
            assertEquals(now.plusMillis(backoff), q.notBefore());
            assertEquals("attempt " + attempt + " failed (refused); retrying in " + backoff + " ms", q.reason());
            JobBook.Job job = book.live("j1").orElseThrow();
            assertEquals(new JobBook.Job("j1", "web", payload, Status.QUEUED, attempt + 1, q.notBefore(), 9, "kafka",
                    T0), job, "the retry keeps what the job needs and when it was first queued");
            assertEquals(List.of(), journal.dispatch(CLOUD, q.notBefore().minusMillis(1)));
            now = q.notBefore();
            assertEquals(attempt + 1, ((JobEvent.JobRunning) journal.dispatch(CLOUD, now).get(0)).attempt());
        }

        JobEvent last = journal.answered("j1", LIMITS.maxAttempts(), new Answer.NodeFailure("refused"), now)
                .orElseThrow();

        JobEvent.JobFailed f = assertInstanceOf(JobEvent.JobFailed.class, last);
        assertEquals("gave up after 4 attempts; the last: refused", f.reason());
        assertEquals(4, f.attempt());
        assertEnded("j1", Status.FAILED);
    }

    @Test
    void anAnswerForAnotherAttemptThanTheRunningOneIsNothing() {
        journal.start("j1", "web", CLOUD, T0);
        Answer done = new Answer.Done("web-1", null, 1);
        assertEquals(Optional.empty(), book.answered("j1", 2, done, T0), "a later attempt");

        journal.answered("j1", 1, new Answer.NodeFailure("broken"), T0).orElseThrow();
        assertEquals(Optional.empty(), book.answered("j1", 1, done, T0), "queued for attempt 2");

        journal.dispatch(CLOUD, T0.plusSeconds(1));
        assertEquals(Optional.empty(), book.answered("j1", 1, done, T0), "running attempt 2");
        assertEquals(Optional.of(Status.RUNNING), book.status("j1"));
        assertTrue(book.answered("j1", 2, done, T0).isPresent());
    }

    @Test
    void anAnswerForAnAbortedOrUnknownJobIsNothing() {
        journal.start("j1", "web", CLOUD, T0);
        journal.abort("j1", null, T0);

        assertEquals(Optional.empty(), book.answered("j1", 1, new Answer.Done("web-1", null, 1), T0));
        assertEquals(Optional.empty(), book.answered("nobody", 1, new Answer.Done("web-1", null, 1), T0));
        assertEquals(Optional.of(Status.ABORTED), book.status("j1"));
    }

    @Test
    void aQueuedOrRunningJobIsAborted() {
        journal.submit("queued", "web", CLOUD, T0);
        journal.dispatch(CLOUD, T0);
        journal.submit("waiting", "web", CLOUD, T0);

        JobEvent.JobAborted a = assertInstanceOf(JobEvent.JobAborted.class, journal.abort("waiting", " ", T0));
        assertEquals("aborted by request", a.reason());
        assertEquals("web", a.pod());
        JobEvent.JobAborted b = assertInstanceOf(JobEvent.JobAborted.class, journal.abort("queued", "changed my mind",
                T0));
        assertEquals("changed my mind", b.reason());

        assertEnded("queued", Status.ABORTED);
        assertEquals(Optional.of(Status.ABORTED), book.status("waiting"));
    }

    @Test
    void abortingAnUnknownJobIs404AndAnEndedOne409() {
        Rejection unknown = assertThrows(Rejection.class, () -> book.abort("nobody", null, T0));
        assertEquals(404, unknown.status());
        assertEquals("no job with id 'nobody'", unknown.getMessage());
        assertEquals("id", unknown.field());

        journal.start("j1", "web", CLOUD, T0);
        journal.answered("j1", 1, new Answer.Done("web-1", null, 1), T0);
        Rejection ended = assertThrows(Rejection.class, () -> book.abort("j1", null, T0));
        assertEquals(409, ended.status());
        assertEquals("job 'j1' already ended SUCCEEDED", ended.getMessage());

        journal.abort(journal.start("j2", "web", CLOUD, T0).jobId(), null, T0);
        assertEquals(409, assertThrows(Rejection.class, () -> book.abort("j2", null, T0)).status(), "twice");
    }

    @Test
    void recoveryRequeuesTheRunningJobsNoCallIsRunningAndLeavesTheOthers() {
        journal.start("lost", "web", CLOUD, T0);
        journal.start("sent", "web", CLOUD, T0);
        journal.submit("queued", "web", CLOUD, T0);
        Instant later = T0.plusSeconds(5);

        List<JobEvent> out = journal.recover(Set.of("sent"), later);

        assertEquals(1, out.size());
        JobEvent.JobQueued q = assertInstanceOf(JobEvent.JobQueued.class, out.get(0));
        assertEquals("lost", q.jobId());
        assertEquals(2, q.attemptOrFirst());
        assertNull(q.notBefore(), "no back-off: the node did not fail");
        assertEquals("attempt 1 was cut short by a restart of the resource manager", q.reason());
        assertEquals(later, q.at());
        assertEquals(Optional.of(Status.QUEUED), book.status("lost"));
        assertEquals(Optional.of(Status.RUNNING), book.status("sent"));
        assertEquals(2, book.queued("web"));
        assertEquals(1, book.running("web"));
        assertEquals(List.of(), journal.recover(Set.of("sent"), later), "a second recovery finds nothing");

        assertEquals(List.of("lost", "queued"), journal.dispatch(CLOUD, later).stream().map(JobEvent::jobId).toList(),
                "the job cut short goes first");
        assertEquals(2, book.live("lost").orElseThrow().attempt());
    }
}
