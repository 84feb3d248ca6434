package cms.web.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.core.event.JobEvent;
import cms.web.jobs.JobView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingAndJobsTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void ringKeepsTheLastNAndPrunesByTime() {
        Ring<Instant> r = Ring.window(3, 10_000, t -> t);
        for (int i = 0; i < 5; i++) {
            r.add(T0.plusSeconds(i * 4));
        }
        assertEquals(List.of(T0.plusSeconds(8), T0.plusSeconds(12), T0.plusSeconds(16)), r.toList());
        r.prune(T0.plusSeconds(20));
        assertEquals(List.of(T0.plusSeconds(12), T0.plusSeconds(16)), r.toList());
        Ring<Integer> n = Ring.lastN(2);
        List.of(1, 2, 3).forEach(n::add);
        n.prune(T0.plusSeconds(1_000_000));
        assertEquals(List.of(2, 3), n.toList());
    }

    @Test
    void recentJobsFollowEachJobToItsEndAndEvictFinishedOnesFirst() {
        RecentJobs jobs = new RecentJobs(3);
        jobs.apply(new JobEvent.JobQueued("1", 1, T0, "q1", "p"));
        jobs.apply(new JobEvent.JobQueued("2", 1, T0, "done", "p"));
        jobs.apply(new JobEvent.JobRunning("3", 1, T0, "done", "p", "n1", 1));
        jobs.apply(new JobEvent.JobSucceeded("4", 1, T0, "done", "p", "n1", null, 42));
        jobs.apply(new JobEvent.JobQueued("5", 1, T0, "q2", "p"));
        jobs.apply(new JobEvent.JobRunning("6", 1, T0, "r1", "p", "n2", 1));
        assertEquals(List.of("r1", "q2", "q1"), jobs.newestFirst(10).stream().map(JobView::jobId).toList());
        jobs.apply(new JobEvent.JobFailed("7", 1, T0, "r1", "p", "exit 1", "n2", 1));
        JobView failed = jobs.newestFirst(1).get(0);
        assertEquals("FAILED", failed.status());
        assertEquals("n2", failed.node());
        assertEquals(1, failed.attempt());
        assertEquals("exit 1", failed.error());
    }
}
