package cms.web.jobs;

import static cms.web.jobs.JobViewTest.aborted;
import static cms.web.jobs.JobViewTest.failed;
import static cms.web.jobs.JobViewTest.queued;
import static cms.web.jobs.JobViewTest.running;
import static cms.web.jobs.JobViewTest.succeeded;
import static cms.web.jobs.JobViewTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The job API's table: bounded, filtered, counted, and waited on. */
class JobTableTest {

    private final JobTable table = new JobTable(100);

    private List<String> ids(List<JobView> views) {
        return views.stream().map(JobView::jobId).toList();
    }

    @Test
    void aJobTakenOverHttpIsSubmittedUntilItsFirstEventAndASecondSubmitChangesNothing() {
        table.submitted("j1", "web", t(0));
        assertEquals("SUBMITTED", table.get("j1").orElseThrow().status());

        table.apply(queued("j1", "web", t(1)));
        table.submitted("j1", "web", t(2));

        JobView v = table.get("j1").orElseThrow();
        assertEquals("QUEUED", v.status());
        assertEquals(t(0), v.submittedAt());
        assertEquals(Optional.empty(), table.get("nobody"));
    }

    @Test
    void theListIsNewestFirstFilteredByPodAndStatusAndLimited() {
        table.apply(queued("a1", "a", t(1)));
        table.apply(queued("b1", "b", t(2)));
        table.apply(queued("a2", "a", t(3)));
        table.apply(running("a2", "a", 1, t(4)));
        table.submitted("a3", "a", t(5));

        assertEquals(List.of("a3", "a2", "b1", "a1"), ids(table.list(null, null, 10)));
        assertEquals(List.of("a3", "a2", "a1"), ids(table.list("a", null, 10)));
        assertEquals(List.of("a1"), ids(table.list("a", "QUEUED", 10)));
        assertEquals(List.of("a2"), ids(table.list(null, "RUNNING", 10)));
        assertEquals(List.of("a3", "a2"), ids(table.list(null, null, 2)));
        assertEquals(List.of(), table.list("c", null, 10));
    }

    /** What waits for a pod's nodes (SUBMITTED or QUEUED), kept as jobs change, for the queue limit's 429. */
    @Test
    void waitingCountsSubmittedAndQueuedJobsOfAPodAsTheyChange() {
        table.submitted("a1", "a", t(0));
        table.apply(queued("a2", "a", t(1)));
        table.submitted("b1", "b", t(1));
        assertEquals(2, table.waiting("a"));
        table.apply(queued("a1", "a", t(2)));
        assertEquals(2, table.waiting("a"), "SUBMITTED → QUEUED still waits");
        table.apply(running("a1", "a", 1, t(3)));
        table.apply(succeeded("a2", "a", t(3)));
        assertEquals(0, table.waiting("a"));
        table.submitFailed("b1");
        assertEquals(0, table.waiting("b"));
        table.apply(new cms.core.event.JobEvent.JobQueued("e", 1, t(4), "a1", "a", null, 2, "node gone", null, null,
                null));
        assertEquals(1, table.waiting("a"), "back in the queue for another attempt");
        assertEquals(0, table.waiting("nobody"));
    }

    @Test
    void countsAreByStatusForOnePodOrAll() {
        table.apply(queued("a1", "a", t(1)));
        table.apply(queued("a2", "a", t(1)));
        table.apply(queued("b1", "b", t(1)));
        table.apply(succeeded("b1", "b", t(2)));
        table.apply(queued("a3", "a", t(1)));
        table.apply(failed("a3", "a", "no", t(2)));

        assertEquals(Map.of("QUEUED", 2, "FAILED", 1), table.counts("a"));
        assertEquals(Map.of("QUEUED", 2, "FAILED", 1, "SUCCEEDED", 1), table.counts(null));
        assertEquals(Map.of(), table.counts("c"));
    }

    @Test
    void overCapacityTheOldestEndedJobsGoAndLiveOnesStay() {
        JobTable small = new JobTable(2);
        small.apply(queued("live1", "web", t(0)));
        small.apply(queued("ended1", "web", t(1)));
        small.apply(aborted("ended1", "web", t(1)));
        small.apply(queued("ended2", "web", t(2)));
        small.apply(aborted("ended2", "web", t(2)));
        small.apply(queued("live2", "web", t(3)));
        assertEquals(List.of("live2", "ended2", "ended1", "live1"), ids(small.list(null, null, 10)),
                "two ended jobs fit");

        small.apply(queued("ended3", "web", t(4)));
        small.apply(aborted("ended3", "web", t(4)));
        small.apply(queued("live3", "web", t(5)));
        small.submitted("live4", "web", t(6));
        assertEquals(List.of("live4", "live3", "ended3", "live2", "ended2", "live1"), ids(small.list(null, null, 10)),
                "ended1, which ended first, went; jobs not ended all stay");
        assertEquals(Optional.empty(), small.get("ended1"), "a forgotten job is unknown, as one never seen");
        assertEquals(Optional.empty(), small.awaitEnd("ended1", Duration.ofSeconds(1)));
        assertEquals(2, small.endedCount());
    }

    @Test
    void waitingForAnUnknownJobIsEmptyAndForAnEndedOneDoneAtOnce() {
        assertEquals(Optional.empty(), table.awaitEnd("nobody", Duration.ofSeconds(60)));
        table.apply(queued("j1", "web", t(0)));
        table.apply(succeeded("j1", "web", t(1)));

        CompletableFuture<JobView> f = table.awaitEnd("j1", Duration.ofSeconds(60)).orElseThrow();

        assertTrue(f.isDone());
        assertEquals("SUCCEEDED", f.join().status());
    }

    @Test
    void everyWaiterGetsTheEndWhenItComes() {
        table.submitted("j1", "web", t(0));
        CompletableFuture<JobView> first = table.awaitEnd("j1", Duration.ofSeconds(60)).orElseThrow();
        CompletableFuture<JobView> second = table.awaitEnd("j1", Duration.ofSeconds(60)).orElseThrow();

        table.apply(queued("j1", "web", t(1)));
        table.apply(running("j1", "web", 1, t(2)));
        assertFalse(first.isDone(), "not ended yet");

        table.apply(failed("j1", "web", "the workload answered 422", t(3)));
        assertTrue(first.isDone() && second.isDone());
        assertEquals("FAILED", first.join().status());
        assertSame(first.join(), second.join());
        assertEquals(table.get("j1").orElseThrow(), first.join());
    }

    @Test
    void whenTheTimeIsUpTheWaiterGetsTheJobAsItIs() throws Exception {
        table.apply(queued("j1", "web", t(0)));
        table.apply(running("j1", "web", 1, t(1)));

        JobView v = table.awaitEnd("j1", Duration.ofMillis(1)).orElseThrow().get(10, TimeUnit.SECONDS);

        assertEquals(table.get("j1").orElseThrow(), v);
        assertEquals("RUNNING", v.status());
        table.apply(succeeded("j1", "web", t(2)));
        assertEquals("SUCCEEDED", table.get("j1").orElseThrow().status(), "a timed-out wait leaves the table as it is");
    }
}
