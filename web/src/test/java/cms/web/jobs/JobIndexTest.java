package cms.web.jobs;

import static cms.web.jobs.JobViewTest.aborted;
import static cms.web.jobs.JobViewTest.queued;
import static cms.web.jobs.JobViewTest.running;
import static cms.web.jobs.JobViewTest.succeeded;
import static cms.web.jobs.JobViewTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.core.event.JobEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table's list and counts come from an index kept up to date job by job; whatever happens to the jobs, they
 * are what sorting and counting every job the table holds gives, and a page goes on from the job before it.
 */
class JobIndexTest {

    private static List<String> ids(List<JobView> views) {
        return views.stream().map(JobView::jobId).toList();
    }

    /** The list and counts as the table computed them before the index: every job, sorted and counted. */
    private static void sameAsBruteForce(JobTable table, List<String> known, String pod, String status) {
        List<JobView> all = new ArrayList<>();
        for (String id : known) {
            table.get(id).filter(j -> JobIndex.matches(j, pod, status)).ifPresent(all::add);
        }
        all.sort(JobIndex.NEWEST);
        assertEquals(ids(all), ids(table.list(pod, status)), "list of pod " + pod + ", status " + status);
        Map<String, Integer> counts = new HashMap<>();
        all.forEach(j -> counts.merge(j.status(), 1, Integer::sum));
        if (status == null) {
            assertEquals(counts, table.counts(pod), "counts of pod " + pod);
        }
        // page by page, each from the last job of the one before, gives the same list
        List<String> paged = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages <= all.size(); pages++) {
            List<JobView> page = table.page(pod, status, after, 7).orElseThrow();
            paged.addAll(ids(page));
            if (page.size() < 7) {
                break;
            }
            after = page.get(page.size() - 1).jobId();
        }
        assertEquals(ids(all), paged, "pages of 7 of pod " + pod + ", status " + status);
    }

    @Test
    void whateverHappensToTheJobsTheListAndCountsAreThoseOfEveryJobSortedAndCounted() {
        Random random = new Random(14);
        JobTable table = new JobTable(40);
        List<String> known = new ArrayList<>();
        table.counts(null); // the index is made now, on an empty table, and kept from here on
        for (int step = 0; step < 3_000; step++) {
            String id = "j" + random.nextInt(120);
            String pod = random.nextBoolean() ? "a" : "b";
            int at = random.nextInt(1_000);
            switch (random.nextInt(7)) {
                case 0 -> table.submitted(id, pod, t(at));
                case 1 -> table.submitFailed(id);
                case 2 -> table.apply(queued(id, pod, t(at)));
                case 3 -> table.apply(new JobEvent.JobQueued("e" + step, 1, t(at), id, pod, null, 2, "retry", null,
                        null, null));
                case 4 -> table.apply(running(id, pod, 1 + random.nextInt(2), t(at)));
                case 5 -> table.apply(succeeded(id, pod, t(at)));
                default -> table.apply(aborted(id, pod, t(at)));
            }
            if (!known.contains(id)) {
                known.add(id);
            }
            if (step % 100 == 0) {
                for (String pod2 : new String[] {null, "a", "b", "c"}) {
                    for (String status : new String[] {null, "QUEUED", "RUNNING", "SUCCEEDED", "SUBMITTED"}) {
                        sameAsBruteForce(table, known, pod2, status);
                    }
                }
            }
        }
        assertEquals(40, table.endedCount(), "ended jobs were forgotten on the way, and left the index with it");
    }

    @Test
    void anIndexMadeLateHoldsTheJobsThereAndFollowsTheChangesAfter() {
        JobTable table = new JobTable(10);
        table.apply(queued("a1", "a", t(1)));
        table.submitted("a2", "a", t(2));
        assertEquals(List.of("a2", "a1"), ids(table.list(null, null, 10)));

        // its submission's time as its first QUEUED carries it: now the oldest
        table.apply(new JobEvent.JobQueued("e", 1, t(3), "a2", "a", null, 1, null, null, null, "http", t(0)));
        table.apply(succeeded("a1", "a", t(3)));

        assertEquals(List.of("a1", "a2"), ids(table.list(null, null, 10)));
        assertEquals(Map.of("QUEUED", 1, "SUCCEEDED", 1), table.counts("a"));
    }

    @Test
    void aPageGoesOnFromTheJobBeforeItAndNoneFromAJobNoLongerListed() {
        JobTable table = new JobTable(10);
        for (int i = 1; i <= 5; i++) {
            table.apply(queued("q" + i, "a", t(i)));
        }
        assertEquals(List.of("q5", "q4"), ids(table.page(null, null, null, 2).orElseThrow()));
        assertEquals(List.of("q3", "q2"), ids(table.page(null, null, "q4", 2).orElseThrow()));
        assertEquals(List.of("q1"), ids(table.page("a", "QUEUED", "q2", 2).orElseThrow()));

        table.apply(running("q3", "a", 1, t(6)));
        assertEquals(List.of("q2", "q1"), ids(table.page("a", "QUEUED", "q4", 5).orElseThrow()),
                "q3 runs now: not in the QUEUED list");
        assertEquals(Optional.empty(), table.page(null, "QUEUED", "q3", 2), "after a job no longer of that status");
        assertEquals(Optional.empty(), table.page(null, null, "nobody", 2), "after an unknown job");
        assertEquals(Optional.empty(), table.page("b", null, "q1", 2), "after a job of another pod");
    }
}
