package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.podWithNodes;
import static cms.rm.model.JobFixtures.LIMITS;
import static cms.rm.model.JobFixtures.json;
import static cms.rm.model.JobFixtures.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import cms.rm.model.JobBook.Answer;
import cms.rm.model.JobBook.Status;
import cms.rm.model.JobBookReplayTest.Snapshot;
import cms.rm.model.JobFixtures.Journal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The {@code job-state} records the resource manager writes with each job event rebuild the same book as all the
 * events do; ended ids leave the window oldest first, each with one tombstone.
 */
class JobStatesTest {

    private static final CloudState CLOUD = podWithNodes(podWithNodes(CloudState.empty(), "a", 1, 1), "b", 1, 1);

    /**
     * What the resource manager leaves on the compacted topic: each event applied to its own book with
     * {@link JobStates#apply}, the record put under its key, the ids the window forgot tombstoned (removed).
     */
    static Map<String, JobStateRecord> stateTopic(JobBook.Limits limits, List<JobEvent> events) {
        JobBook book = new JobBook(limits);
        Map<String, JobStateRecord> topic = new LinkedHashMap<>();
        for (JobEvent e : events) {
            JobStates.apply(book, e).ifPresent(r -> {
                topic.remove(r.jobId());
                topic.put(r.jobId(), r);
            });
            book.takeForgotten().forEach(topic::remove);
        }
        return topic;
    }

    static JobBook restored(JobBook.Limits limits, Map<String, JobStateRecord> topic) {
        JobBook book = new JobBook(limits);
        assertEquals(List.of(), JobStates.restore(book, topic.values()));
        return book;
    }

    /** A varied history: jobs done, failed, aborted, retried, running, waiting, refused at submission. */
    private static Journal history(JobBook.Limits limits) {
        Journal journal = new Journal(limits);
        Instant t = T0;
        for (int i = 1; i <= 7; i++) {
            journal.submit(submitted("a" + i, "a", json("{\"n\":" + i + "}"), 30), 7, CLOUD, t = t.plusMillis(1));
            journal.submit("b" + i, "b", CLOUD, t = t.plusMillis(1));
        }
        journal.submit("bad", "ghost", CLOUD, t);
        journal.dispatch(CLOUD, t = t.plusMillis(1));
        journal.answered("a1", 1, new Answer.Done("a-1", json("{\"r\":1}"), 3), t = t.plusMillis(1));
        journal.answered("a2", 1, new Answer.NodeFailure("refused"), t = t.plusMillis(1));
        journal.answered("b1", 1, new Answer.Refused("b-1", 422, "no"), t = t.plusMillis(1));
        journal.abort("b2", null, t = t.plusMillis(1));
        journal.abort("a5", null, t = t.plusMillis(1));
        journal.dispatch(CLOUD, t.plusSeconds(1));
        return journal;
    }

    @Test
    void aBookRestoredFromTheStateRecordsIsTheBookRebuiltFromAllTheEvents() {
        Journal journal = history(LIMITS);
        Set<String> pods = Set.of("a", "b", "ghost");
        JobBook fromEvents = JobBookReplayTest.rebuilt(LIMITS, journal.events);

        Map<String, JobStateRecord> topic = stateTopic(LIMITS, journal.events);
        JobBook fromState = restored(LIMITS, topic);

        assertEquals(Snapshot.of(fromEvents, journal.events, pods), Snapshot.of(fromState, journal.events, pods));
        assertEquals(fromEvents.liveBytes(), fromState.liveBytes());
        assertEquals(fromEvents.endedInWindow(), fromState.endedInWindow());
        Instant later = T0.plusSeconds(10);
        assertEquals(ids(fromEvents.dispatch(CLOUD, later)), ids(fromState.dispatch(CLOUD, later)),
                "the same jobs go next, in the same order (the retry of a2 first)");
        assertEquals(Optional.of(Status.FAILED), fromState.status("bad"));
    }

    @Test
    void theOrderReadDoesNotMatterExceptForTiesTheRecordsTimesOrderTheQueue() {
        Journal journal = history(LIMITS);
        List<JobStateRecord> shuffled = new ArrayList<>(stateTopic(LIMITS, journal.events).values());
        Collections.reverse(shuffled);
        JobBook book = new JobBook(LIMITS);
        JobStates.restore(book, shuffled);

        assertEquals(ids(JobBookReplayTest.rebuilt(LIMITS, journal.events).dispatch(CLOUD, T0.plusSeconds(10))),
                ids(book.dispatch(CLOUD, T0.plusSeconds(10))));
    }

    @Test
    void anEndedIdThatLeavesTheWindowIsReportedOnceOldestFirst() {
        JobBook.Limits three = withHistory(3);
        Journal journal = new Journal(three);
        for (int i = 1; i <= 5; i++) {
            journal.submit("j" + i, "ghost", CLOUD, T0.plusMillis(i)); // fails at once: ended
        }
        assertEquals(List.of("j1", "j2"), journal.book.takeForgotten());
        assertEquals(List.of(), journal.book.takeForgotten(), "each once");
        assertEquals(List.of("j3", "j4", "j5"), List.copyOf(journal.book.endedInWindow().keySet()));

        Map<String, JobStateRecord> topic = stateTopic(three, journal.events);
        assertEquals(Set.of("j3", "j4", "j5"), topic.keySet(), "the state topic holds the window, no more");
    }

    @Test
    void aJobIdSubmittedAgainRunsOnceInsideTheWindowAndAgainAfterItLeft() {
        JobBook.Limits three = withHistory(3);
        Journal journal = new Journal(three);
        journal.start("dup", "a", CLOUD, T0);
        journal.answered("dup", 1, new Answer.Done("a-1", null, 1), T0.plusMillis(1));
        JobBook afterRestart = restored(three, stateTopic(three, journal.events));

        assertEquals(Optional.empty(), afterRestart.submit(submitted("dup", "a"), 0, "http", CLOUD, T0.plusSeconds(1)),
                "inside the window: known, not queued again");

        for (int i = 1; i <= 3; i++) {
            journal.submit("other" + i, "ghost", CLOUD, T0.plusSeconds(2 + i));
        }
        JobBook muchLater = restored(three, stateTopic(three, journal.events));
        assertEquals(Optional.empty(), muchLater.status("dup"));
        assertTrue(muchLater.submit(submitted("dup", "a"), 0, "http", CLOUD, T0.plusSeconds(9)).orElseThrow()
                instanceof JobEvent.JobQueued, "out of the window: a new job");
    }

    @Test
    void aRestoredWindowLargerThanTheSettingForgetsItsOldestAndReportsThem() {
        Journal journal = new Journal(LIMITS);
        for (int i = 1; i <= 5; i++) {
            journal.submit("j" + i, "ghost", CLOUD, T0.plusMillis(i));
        }
        JobBook smaller = restored(withHistory(2), stateTopic(LIMITS, journal.events));

        assertEquals(List.of("j4", "j5"), List.copyOf(smaller.endedInWindow().keySet()));
        assertEquals(List.of("j1", "j2", "j3"), smaller.takeForgotten(), "tombstones due for what the window lost");
    }

    @Test
    void anEventAboutAnEndedJobWritesNoRecord() {
        JobBook book = new JobBook(LIMITS);
        JobEvent.JobFailed failed = new JobEvent.JobFailed("e1", 1, T0, "j", "a", "no");
        assertTrue(JobStates.apply(book, failed).isPresent());
        assertEquals(Optional.empty(), JobStates.apply(book, new JobEvent.JobAborted("e2", 1, T0, "j", "a", "late")));
        assertEquals(Optional.empty(), JobStates.apply(book, new JobEvent.JobRunning("e3", 1, T0, "k", "a", null, 1)),
                "a RUNNING for a job the book does not hold");
    }

    @Test
    void anEndedRecordIsSmallItsReasonCutAndItNamesItsEvent() {
        JobBook book = new JobBook(LIMITS);
        String reason = "x".repeat(5000);
        JobStateRecord r = JobStates.apply(book, new JobEvent.JobFailed("e1", 1, T0, "j", "a", reason)).orElseThrow();
        JobStateRecord.EndedJob ended = (JobStateRecord.EndedJob) r;
        assertEquals(JobStateRecord.MAX_ERROR_CHARS, ended.error().length());
        assertEquals("e1", ended.eventId());
        assertEquals(JobStateRecord.Status.FAILED, ended.status());
    }

    @Test
    void aRecordWhoseStatusDoesNotFitItsKindIsReportedAndSkipped() {
        JobBook book = new JobBook(LIMITS);
        List<String> problems = JobStates.restore(book, List.of(new JobStateRecord.LiveJob("e", 1, T0, "j", "a",
                JobStateRecord.Status.SUCCEEDED, 1, null, null, null, null, T0)));
        assertEquals(1, problems.size());
        assertEquals(Optional.empty(), book.status("j"));
    }

    private static JobBook.Limits withHistory(int history) {
        return new JobBook.Limits(LIMITS.perNode(), LIMITS.maxAttempts(), LIMITS.firstBackoff(),
                LIMITS.maxPayloadBytes(), LIMITS.maxTimeoutSeconds(), history, LIMITS.maxQueuedPerPod(),
                LIMITS.maxLiveBytes(), Duration.ofMinutes(5));
    }

    private static List<String> ids(List<JobEvent> events) {
        return events.stream().map(JobEvent::jobId).toList();
    }
}
