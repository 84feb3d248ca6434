package cms.web.jobs;

import static cms.web.jobs.JobViewTest.failed;
import static cms.web.jobs.JobViewTest.queued;
import static cms.web.jobs.JobViewTest.retry;
import static cms.web.jobs.JobViewTest.running;
import static cms.web.jobs.JobViewTest.succeeded;
import static cms.web.jobs.JobViewTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobStateRecord;
import cms.core.event.JobStateRecord.Status;
import com.fasterxml.jackson.databind.node.IntNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table loaded from {@code job-state}, then {@code job-events} read from offsets taken before the state: events
 * the state is already past change nothing (an ended job stays ended, no job goes back to an earlier attempt), and
 * the end of a job brings the result its state record left out.
 */
class JobTableStateTest {

    private final JobTable table = new JobTable(100);

    static JobStateRecord.LiveJob live(String id, Status status, int attempt, Instant at) {
        return new JobStateRecord.LiveJob("s", 1, at, id, "web", status, attempt, null, null, null, "http", t(0));
    }

    static JobStateRecord.EndedJob ended(String id, Status status, Instant at) {
        return new JobStateRecord.EndedJob("s", 1, at, id, "web", status, 1, "web-1", 12L, null, "http", t(0));
    }

    private JobView job(String id) {
        return table.get(id).orElseThrow();
    }

    @Test
    void aJobLoadedAsEndedStaysEndedWhateverEarlierEventsAreReadAfter() {
        table.restore(ended("j1", Status.SUCCEEDED, t(3)));
        table.apply(queued("j1", "web", t(1)));
        table.apply(running("j1", "web", 1, t(2)));

        assertEquals("SUCCEEDED", job("j1").status());
        assertEquals(t(3), job("j1").endedAt());
        assertEquals(t(0), job("j1").submittedAt(), "the first queueing, from the state record");
        assertNull(job("j1").result(), "the state record has no result");
    }

    @Test
    void theEndEventReadAfterTheStateBringsTheResult() {
        table.restore(ended("j1", Status.SUCCEEDED, t(3)));
        table.apply(succeeded("j1", "web", t(3)));

        assertEquals(IntNode.valueOf(7), job("j1").result());
        assertEquals("SUCCEEDED", job("j1").status());

        table.restore(ended("j2", Status.FAILED, t(3)));
        table.apply(succeeded("j2", "web", t(4)));
        assertEquals("FAILED", job("j2").status(), "another end never replaces the one it has");
    }

    @Test
    void aLiveJobNeverGoesBackToAnEarlierAttemptOrFromRunningToQueued() {
        table.restore(live("j1", Status.RUNNING, 2, t(5)));
        table.apply(queued("j1", "web", t(1)));
        table.apply(running("j1", "web", 1, t(2)));
        table.apply(retry("j1", 2, "node gone", t(3)));
        assertEquals("RUNNING", job("j1").status());
        assertEquals(2, job("j1").attempt());
        assertEquals(0, table.waiting("web"), "not counted as waiting by a stale QUEUED");

        table.apply(retry("j1", 3, "node gone again", t(6)));
        assertEquals("QUEUED", job("j1").status());
        assertEquals(3, job("j1").attempt());
        assertEquals(1, table.waiting("web"));
        table.apply(failed("j1", "web", "gave up", t(7)));
        assertEquals("FAILED", job("j1").status());
    }

    @Test
    void loadingTheStateAgainAfterAReopenNeverTakesAJobBack() {
        table.apply(queued("j1", "web", t(1)));
        table.apply(succeeded("j1", "web", t(2)));
        table.apply(queued("j2", "web", t(1)));
        table.apply(running("j2", "web", 1, t(2)));
        table.apply(retry("j2", 2, "node gone", t(3)));

        table.restore(ended("j1", Status.SUCCEEDED, t(2)));
        table.restore(live("j2", Status.RUNNING, 1, t(2)));
        table.restore(live("j3", Status.QUEUED, 1, t(2)));

        assertEquals(IntNode.valueOf(7), job("j1").result(), "the result the events brought is kept");
        assertEquals("QUEUED", job("j2").status());
        assertEquals(2, job("j2").attempt());
        assertEquals("QUEUED", job("j3").status(), "a job only the state knows");
        table.restore(live("j3", Status.RUNNING, 1, t(3)));
        assertEquals("RUNNING", job("j3").status(), "a newer state record moves it on");
    }

    @Test
    void restoringTheWindowIntoAnEmptyTableKeepsTheLastEndedAndEveryLiveJob() {
        JobTable small = new JobTable(3);
        List<JobView> inOrder = new ArrayList<>();
        inOrder.add(JobView.of(live("live-1", Status.QUEUED, 1, t(0))));
        for (int i = 1; i <= 6; i++) {
            inOrder.add(JobView.of(ended("e" + i, Status.SUCCEEDED, t(i))));
        }
        inOrder.add(JobView.of(live("live-2", Status.RUNNING, 1, t(9))));
        small.restoreAll(inOrder);

        assertEquals(3, small.endedCount());
        assertEquals(List.of("e4", "e5", "e6"), List.of("e1", "e2", "e3", "e4", "e5", "e6").stream()
                .filter(id -> small.get(id).isPresent()).toList(), "the first ended are forgotten first");
        assertEquals(1, small.waiting("web"), "live-1 waits");
        assertEquals("RUNNING", small.get("live-2").orElseThrow().status());

        small.apply(queued("new", "web", t(10)));
        small.apply(succeeded("new", "web", t(11)));
        assertTrue(small.get("e4").isEmpty(), "the oldest of the window goes when another job ends");
        assertEquals(List.of("e5", "e6", "new"), small.list(null, "SUCCEEDED").stream().map(JobView::jobId).sorted()
                .toList());
    }

    @Test
    void restoringIntoATableThatHoldsJobsTellsWaitersAndNeverTakesAJobBack() throws Exception {
        table.apply(queued("j1", "web", t(1)));
        table.apply(queued("j2", "web", t(1)));
        table.apply(running("j2", "web", 1, t(2)));
        var end = table.awaitEnd("j1", java.time.Duration.ofMinutes(1)).orElseThrow();

        table.restoreAll(List.of(JobView.of(live("j2", Status.QUEUED, 1, t(1))),
                JobView.of(ended("j1", Status.FAILED, t(3)))));

        assertEquals("FAILED", end.get(5, java.util.concurrent.TimeUnit.SECONDS).status());
        assertEquals("RUNNING", job("j2").status(), "an older record changes nothing");
        assertEquals(0, table.waiting("web"));
        assertEquals(1, table.endedCount());
    }
}
