package cms.web.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One job as the API shows it, folded from its events. */
class JobViewTest {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    static JobEvent.JobQueued queued(String id, String pod, Instant at) {
        return new JobEvent.JobQueued("e", 1, at, id, pod, null, 1, null, null, null, "kafka");
    }

    static JobEvent.JobQueued retry(String id, int attempt, String reason, Instant at) {
        return new JobEvent.JobQueued("e", 1, at, id, "web", null, attempt, reason, at.plusMillis(250), null, null);
    }

    static JobEvent.JobRunning running(String id, String pod, int attempt, Instant at) {
        return new JobEvent.JobRunning("e", 1, at, id, pod, null, attempt);
    }

    static JobEvent.JobSucceeded succeeded(String id, String pod, Instant at) {
        return new JobEvent.JobSucceeded("e", 1, at, id, pod, pod + "-1", IntNode.valueOf(7), 12, null);
    }

    static JobEvent.JobFailed failed(String id, String pod, String reason, Instant at) {
        return new JobEvent.JobFailed("e", 1, at, id, pod, reason, null, null);
    }

    static JobEvent.JobAborted aborted(String id, String pod, Instant at) {
        return new JobEvent.JobAborted("e", 1, at, id, pod, "aborted by request");
    }

    private static JobView fold(JobView start, JobEvent... events) {
        JobView v = start;
        for (JobEvent e : events) {
            v = JobView.apply(v, e);
        }
        return v;
    }

    @Test
    void aJobThatSucceededShowsItsNodeTimingsAndResult() {
        JsonNode result = IntNode.valueOf(7);
        JobView v = fold(null, queued("j1", "web", t(0)), running("j1", "web", 1, t(1)),
                new JobEvent.JobSucceeded("e", 1, t(3), "j1", "web", "web-2", result, 1500, 1));

        assertEquals(new JobView("j1", "web", "SUCCEEDED", "kafka", 1, "web-2", t(0), t(1), t(3), 1500L, result, null,
                null), v);
        assertTrue(v.terminal());
    }

    @Test
    void eachStepShowsItsStatus() {
        JobView q = fold(null, queued("j1", "web", t(0)));
        assertEquals(new JobView("j1", "web", "QUEUED", "kafka", 1, null, t(0), null, null, null, null, null, null), q);
        assertFalse(q.terminal());
        JobView r = JobView.apply(q, running("j1", "web", 1, t(1)));
        assertEquals(new JobView("j1", "web", "RUNNING", "kafka", 1, null, t(0), t(1), null, null, null, null, null),
                r);
        assertFalse(r.terminal());
    }

    @Test
    void aJobTakenOverHttpKeepsTheTimeItWasTaken() {
        JobView v = fold(JobView.submitted("j1", "web", t(0)), queued("j1", "web", t(2)));

        assertEquals(t(0), v.submittedAt());
        assertEquals("QUEUED", v.status());
        assertEquals("kafka", v.source(), "the source the resource manager recorded");
        assertEquals(new JobView("j1", "web", "SUBMITTED", "http", 0, null, t(0), null, null, null, null, null, null),
                JobView.submitted("j1", "web", t(0)));
    }

    @Test
    void aRetryShowsWhyAndTheJobKeepsItsFirstStart() {
        JobView v = fold(null, queued("j1", "web", t(0)), running("j1", "web", 1, t(1)),
                retry("j1", 2, "attempt 1 failed (refused)", t(2)));
        assertEquals(new JobView("j1", "web", "QUEUED", "kafka", 2, null, t(0), t(1), null, null, null, null,
                "attempt 1 failed (refused)"), v);

        JobView ended = fold(v, running("j1", "web", 2, t(3)),
                new JobEvent.JobFailed("e", 1, t(4), "j1", "web", "the workload answered 422", "web-1", 2));
        assertEquals(new JobView("j1", "web", "FAILED", "kafka", 2, "web-1", t(0), t(1), t(4), null, null,
                "the workload answered 422", "attempt 1 failed (refused)"), ended);
    }

    @Test
    void anEndWithoutAnAttemptKeepsTheAttemptItHad() {
        assertEquals(1, fold(null, queued("j1", "web", t(0)), running("j1", "web", 1, t(1)),
                succeeded("j1", "web", t(2))).attempt());
        assertEquals(1, fold(null, queued("j1", "web", t(0)), aborted("j1", "web", t(1))).attempt());
    }

    @Test
    void aSubmissionThatFailedAtOnceShowsTheReason() {
        JobView v = fold(null, new JobEvent.JobFailed("e", 1, t(1), "j1", null, "pod: missing", null, null));

        assertEquals(new JobView("j1", null, "FAILED", null, 0, null, t(1), null, t(1), null, null, "pod: missing",
                null), v);
    }

    @Test
    void anAbortedJobShowsTheReasonAsItsError() {
        JobView v = fold(null, queued("j1", "web", t(0)), running("j1", "web", 1, t(1)),
                aborted("j1", "web", t(2)));

        assertEquals(new JobView("j1", "web", "ABORTED", "kafka", 1, null, t(0), t(1), t(2), null, null,
                "aborted by request", null), v);
    }

    @Test
    void nothingChangesAJobThatEnded() {
        List<JobEvent> ends = List.of(succeeded("j1", "web", t(2)), failed("j1", "web", "x", t(2)),
                aborted("j1", "web", t(2)));
        List<JobEvent> later = List.of(queued("j1", "web", t(3)), running("j1", "web", 2, t(3)),
                succeeded("j1", "web", t(3)), failed("j1", "web", "y", t(3)), aborted("j1", "web", t(3)));
        for (JobEvent end : ends) {
            JobView ended = fold(null, queued("j1", "web", t(0)), end);
            for (JobEvent next : later) {
                assertSame(ended, JobView.apply(ended, next), () -> next + " after " + end);
            }
        }
    }

    @Test
    void aJobFirstSeenRunningStartsThere() {
        JobView v = fold(null, running("j1", "web", 3, t(5)));
        assertEquals(new JobView("j1", "web", "RUNNING", null, 3, null, t(5), t(5), null, null, null, null, null), v);
    }
}
