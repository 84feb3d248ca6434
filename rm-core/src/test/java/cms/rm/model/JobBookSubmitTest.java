package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.podWithNodes;
import static cms.rm.model.JobFixtures.LIMITS;
import static cms.rm.model.JobFixtures.json;
import static cms.rm.model.JobFixtures.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import cms.core.event.JobSubmission;
import cms.rm.model.JobBook.Status;
import cms.rm.model.JobFixtures.Journal;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Submissions to the job book: queued with what the job needs, once per id, or failed naming the bad field. */
class JobBookSubmitTest {

    private static final CloudState CLOUD = podWithNodes(CloudState.empty(), "web", 1, 1);

    private final Journal journal = new Journal(LIMITS);
    private final JobBook book = journal.book;

    @Test
    void aSubmissionIsQueuedWithItsPayloadTimeLimitAndSource() {
        JsonNode payload = json("{\"n\":1}");
        JobEvent e = book.submit(submitted("j1", "web", payload, 30), 7, "http", CLOUD, T0).orElseThrow();

        JobEvent.JobQueued q = assertInstanceOf(JobEvent.JobQueued.class, e);
        assertEquals("j1", q.jobId());
        assertEquals("web", q.pod());
        assertEquals(payload, q.payload());
        assertEquals(1, q.attemptOrFirst());
        assertEquals(30, q.timeoutSeconds());
        assertEquals("http", q.source());
        assertEquals(T0, q.at());
        assertNull(q.notBefore());
        assertNull(q.reason());
        assertEquals(Optional.empty(), book.status("j1"), "a decision changes nothing until it is applied");

        book.apply(q);
        assertEquals(new JobBook.Job("j1", "web", payload, Status.QUEUED, 1, null, 30, "http", T0),
                book.live("j1").orElseThrow());
        assertEquals(1, book.queued("web"));
        assertEquals(0, book.running("web"));
    }

    @Test
    void aKnownIdIsNotASecondJobWhetherQueuedRunningOrEnded() {
        journal.submit("j1", "web", CLOUD, T0).orElseThrow();
        assertEquals(Optional.empty(), journal.submit("j1", "web", CLOUD, T0), "queued");

        journal.dispatch(CLOUD, T0);
        assertEquals(Optional.of(Status.RUNNING), book.status("j1"));
        assertEquals(Optional.empty(), journal.submit("j1", "web", CLOUD, T0), "running");

        journal.answered("j1", 1, new JobBook.Answer.Done("web-1", null, 5), T0).orElseThrow();
        assertEquals(Optional.empty(), book.submit(submitted("j1", "other", json("[1]"), 5), 3, "http", CLOUD, T0),
                "ended, even with other fields");
        assertEquals(Optional.of(Status.SUCCEEDED), book.status("j1"));
    }

    @Test
    void aSubmissionThatFailedIsNotRetriedBySubmittingItAgain() {
        journal.submit("j1", "ghost", CLOUD, T0).orElseThrow();
        assertEquals(Optional.of(Status.FAILED), book.status("j1"));

        assertEquals(Optional.empty(), journal.submit("j1", "web", CLOUD, T0));
        assertEquals(0, book.queued("web"));
    }

    static Stream<Arguments> badSubmissions() {
        return Stream.of(
                Arguments.of(submitted("j1", null), 0, "pod: missing"),
                Arguments.of(submitted("j1", "  "), 0, "pod: missing"),
                Arguments.of(submitted("j1", "ghost"), 0, "no pod named 'ghost'"),
                Arguments.of(submitted("j1", "web"), 65, "payload: 65 bytes, over the limit of 64"),
                Arguments.of(submitted("j1", "web", null, 0), 0, "timeoutSeconds: 0 is not within 1..60"),
                Arguments.of(submitted("j1", "web", null, -1), 0, "timeoutSeconds: -1 is not within 1..60"),
                Arguments.of(submitted("j1", "web", null, 61), 0, "timeoutSeconds: 61 is not within 1..60"));
    }

    @ParameterizedTest
    @MethodSource("badSubmissions")
    void aBadSubmissionFailsWithAReasonNamingTheField(JobSubmission.JobSubmitted s, int bytes, String reason) {
        JobEvent e = journal.submit(s, bytes, CLOUD, T0).orElseThrow();

        JobEvent.JobFailed f = assertInstanceOf(JobEvent.JobFailed.class, e);
        assertEquals(reason, f.reason());
        assertEquals("j1", f.jobId());
        assertEquals(T0, f.at());
        assertTrue(e.terminal());
        assertEquals(Optional.of(Status.FAILED), book.status("j1"));
        assertEquals(Optional.empty(), book.live("j1"));
        assertEquals(0, book.queued("web"));
        assertEquals(java.util.List.of(), journal.dispatch(CLOUD, T0));
    }

    @Test
    void theLimitsThemselvesAreWithinRange() {
        assertInstanceOf(JobEvent.JobQueued.class, journal.submit(submitted("a", "web"), 64, CLOUD, T0).orElseThrow());
        assertInstanceOf(JobEvent.JobQueued.class,
                journal.submit(submitted("b", "web", null, 1), 0, CLOUD, T0).orElseThrow());
        assertInstanceOf(JobEvent.JobQueued.class,
                journal.submit(submitted("c", "web", null, 60), 0, CLOUD, T0).orElseThrow());
        assertEquals(3, book.queued("web"));
    }

    @Test
    void thePodIsCheckedBeforeThePayload() {
        JobEvent e = journal.submit(submitted("j1", "ghost"), 1000, CLOUD, T0).orElseThrow();
        assertEquals("no pod named 'ghost'", ((JobEvent.JobFailed) e).reason());
    }
}
