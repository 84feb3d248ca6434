package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.podWithNodes;
import static cms.rm.model.JobFixtures.LIMITS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cms.core.event.JobEvent;
import cms.rm.model.JobBook.Answer;
import cms.rm.model.JobBook.Status;
import cms.rm.model.JobFixtures.Journal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The book is its events: rebuilt from them it is the same; it remembers a bounded number of ended ids. */
class JobBookReplayTest {

    private static final CloudState CLOUD = podWithNodes(podWithNodes(CloudState.empty(), "a", 1, 1), "b", 1, 1);

    /** What can be seen of a book from outside: each job's status and live record, each pod's counts. */
    record Snapshot(Map<String, Optional<Status>> statuses, Map<String, Optional<JobBook.Job>> live,
                    Map<String, List<Integer>> counts) {

        static Snapshot of(JobBook book, List<JobEvent> events, Set<String> pods) {
            Map<String, Optional<Status>> statuses = new LinkedHashMap<>();
            Map<String, Optional<JobBook.Job>> live = new LinkedHashMap<>();
            for (JobEvent e : events) {
                statuses.put(e.jobId(), book.status(e.jobId()));
                live.put(e.jobId(), book.live(e.jobId()));
            }
            Map<String, List<Integer>> counts = new LinkedHashMap<>();
            for (String pod : pods) {
                counts.put(pod, List.of(book.queued(pod), book.running(pod)));
            }
            return new Snapshot(statuses, live, counts);
        }
    }

    static JobBook rebuilt(JobBook.Limits limits, List<JobEvent> events) {
        JobBook book = new JobBook(limits);
        events.forEach(book::apply);
        return book;
    }

    @Test
    void aBookRebuiltFromTheEventsIsTheSame() {
        Journal journal = new Journal(LIMITS);
        for (int i = 1; i <= 7; i++) {
            journal.submit("a" + i, "a", CLOUD, T0);
            journal.submit("b" + i, "b", CLOUD, T0);
        }
        journal.submit("bad", "ghost", CLOUD, T0);
        journal.dispatch(CLOUD, T0);
        journal.answered("a1", 1, new Answer.Done("a-1", null, 3), T0);
        journal.answered("a2", 1, new Answer.NodeFailure("refused"), T0);
        journal.answered("b1", 1, new Answer.Refused("b-1", 422, "no"), T0);
        journal.abort("b2", null, T0);
        journal.abort("a5", null, T0);
        journal.dispatch(CLOUD, T0.plusSeconds(1));
        Snapshot before = Snapshot.of(journal.book, journal.events, Set.of("a", "b", "ghost"));

        Snapshot after = Snapshot.of(rebuilt(LIMITS, journal.events), journal.events, Set.of("a", "b", "ghost"));

        assertEquals(before, after);
        assertEquals(List.of(3, 2), before.counts().get("a"), "a3, a4 run; a6, a7 and a2 (to retry) wait");
        assertEquals(Optional.of(2), before.live().get("a2").map(JobBook.Job::attempt));
        assertEquals(Optional.of(Status.FAILED), before.statuses().get("bad"));
    }

    @Test
    void eventsAboutAnEndedJobChangeNothing() {
        Journal journal = new Journal(LIMITS);
        JobEvent.JobRunning running = journal.start("j1", "a", CLOUD, T0);
        JobEvent.JobQueued queued = (JobEvent.JobQueued) journal.events.get(0);
        journal.abort("j1", null, T0);

        journal.book.apply(queued);
        journal.book.apply(running);
        journal.book.apply(new JobEvent.JobSucceeded("e", 1, T0, "j1", "a", "a-1", null, 1, 1));

        assertEquals(Optional.of(Status.ABORTED), journal.book.status("j1"));
        assertEquals(0, journal.book.queued("a") + journal.book.running("a"));
    }

    @Test
    void theHistoryForgetsTheOldestEndedIds() {
        JobBook.Limits three = new JobBook.Limits(2, 4, Duration.ofMillis(100), 64, 60, 3);
        Journal journal = new Journal(three);
        journal.start("long", "b", CLOUD, T0);
        for (String id : List.of("j1", "j2", "j3", "j4")) {
            journal.abort(journal.start(id, "a", CLOUD, T0).jobId(), null, T0);
        }

        assertEquals(Optional.empty(), journal.book.status("j1"), "the oldest is forgotten");
        for (String id : List.of("j2", "j3", "j4")) {
            assertEquals(Optional.of(Status.ABORTED), journal.book.status(id));
        }
        assertEquals(404, assertThrows(Rejection.class, () -> journal.book.abort("j1", null, T0)).status());
        assertEquals(409, assertThrows(Rejection.class, () -> journal.book.abort("j2", null, T0)).status());
        assertEquals(Optional.empty(), journal.submit("j2", "a", CLOUD, T0), "remembered: not run twice");
        assertEquals(Optional.of(Status.RUNNING), journal.book.status("long"), "a live job is never forgotten");
        assertInstanceOf(JobEvent.JobQueued.class, journal.submit("j1", "a", CLOUD, T0).orElseThrow(),
                "forgotten: it is a new job");
    }
}
