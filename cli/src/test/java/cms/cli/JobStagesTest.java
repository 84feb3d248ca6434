package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cms.core.event.JobEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each stage is the median over the jobs seen from submit to end; events' times are put on the bench's scale. */
class JobStagesTest {

    /** Epoch 2026-01-01T00:00:00Z is nanoTime 0 here. */
    private static final Instant ZERO = Instant.parse("2026-01-01T00:00:00Z");
    private static final long MS = 1_000_000L;

    private final JobStages stages = new JobStages(ZERO.getEpochSecond() * 1_000_000_000L);

    private static Instant at(long ms) {
        return ZERO.plusMillis(ms);
    }

    /** A job due at {@code due} ms whose RUNNING is written 5 ms after, and each later stage k ms long. */
    private void job(String id, long due, long k) {
        stages.due(id, due * MS);
        stages.accepted(id, (due + 1) * MS);
        stages.seen(new JobEvent.JobRunning("e1", 1, at(due + 5), id, "jb", "n1", 1), (due + 5 + k) * MS);
        stages.seen(new JobEvent.JobSucceeded("e2", 1, at(due + 5 + 3 * k), id, "jb", "n1", null, k), (due + 5 + 4 * k) * MS);
    }

    @Test
    void stagesAreMediansOverTheJobsOfOneRun() {
        job("r-1", 0, 2);
        job("r-2", 100, 4);
        job("r-3", 200, 6);
        job("other-1", 300, 50);

        assertEquals("stages (median ms of 3 jobs): due → submit accepted 1.0; due → RUNNING written 5.0; RUNNING "
                + "written → read 4.0; call 4.0; RUNNING written → terminal written 12.0; terminal written → read 4.0",
                stages.summary("r-"));
    }

    @Test
    void latenciesLastEndAndFailuresAreOfOneRunsJobs() {
        job("r-1", 0, 2);
        job("r-2", 100, 4);
        stages.due("r-3", 200 * MS);
        stages.seen(new JobEvent.JobFailed("e3", 1, at(230), "r-3", "jb", "no node"), 250 * MS);
        job("other-1", 300, 50);

        assertEquals(java.util.List.of(13.0, 21.0, 50.0), stages.latencies("r-").stream().sorted().toList());
        assertEquals(250 * MS, stages.lastEnd("r-", -1));
        assertEquals(-1, stages.lastEnd("none-", -1));
        assertEquals(1, stages.notSucceeded("r-"));
        assertEquals(0, stages.notSucceeded("other-"));
    }

    @Test
    void jobsNotSeenToEndAreLeftOut() {
        stages.due("r-1", 0);
        stages.accepted("r-1", MS);

        assertEquals("stages: no job seen from submit to end", stages.summary("r-"));
    }
}
