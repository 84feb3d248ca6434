package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.observed;
import static cms.rm.model.CloudFixtures.online;
import static cms.rm.model.CloudFixtures.pause;
import static cms.rm.model.CloudFixtures.podWithNodes;
import static cms.rm.model.CloudFixtures.removePod;
import static cms.rm.model.CloudFixtures.resume;
import static cms.rm.model.JobFixtures.LIMITS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import cms.core.event.JobEvent;
import cms.core.model.Pod;
import cms.rm.model.JobBook.Answer;
import cms.rm.model.JobBook.Status;
import cms.rm.model.JobFixtures.Journal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which queued jobs the book sends, with {@link JobFixtures#LIMITS} (2 jobs per ONLINE node). */
class JobBookDispatchTest {

    private final Journal journal = new Journal(LIMITS);
    private final JobBook book = journal.book;

    private void submit(CloudState cloud, String pod, String... ids) {
        for (String id : ids) {
            journal.submit(id, pod, cloud, T0).orElseThrow();
        }
    }

    private static List<String> ids(List<JobEvent> events) {
        return events.stream().map(JobEvent::jobId).toList();
    }

    @Test
    void asManyRunAsTheOnlineNodesTakeOldestFirst() {
        CloudState cloud = podWithNodes(CloudState.empty(), "web", 3, 2);
        submit(cloud, "web", "j1", "j2", "j3", "j4", "j5", "j6");

        List<JobEvent> sent = journal.dispatch(cloud, T0);

        assertEquals(List.of("j1", "j2", "j3", "j4"), ids(sent), "2 ONLINE nodes x 2; the STARTING one takes none");
        for (JobEvent e : sent) {
            JobEvent.JobRunning r = assertInstanceOf(JobEvent.JobRunning.class, e);
            assertEquals("web", r.pod());
            assertEquals(1, r.attempt());
            assertNull(r.node(), "the balancer picks the node");
            assertEquals(T0, r.at());
        }
        assertEquals(4, book.running("web"));
        assertEquals(2, book.queued("web"));
        assertEquals(List.of(), journal.dispatch(cloud, T0), "full: the running ones count");
    }

    @Test
    void aheadCommitsThatManyTimesTheSlotsAndAnAnswerFreesOnePlace() {
        CloudState cloud = podWithNodes(CloudState.empty(), "web", 3, 2);
        submit(cloud, "web", "j1", "j2", "j3", "j4", "j5", "j6", "j7", "j8", "j9", "j10");
        assertEquals(4, book.slots(cloud.pod("web").orElseThrow()), "2 ONLINE nodes x 2 jobs per node");

        List<JobEvent> sent = book.dispatch(cloud, T0, 2);
        sent.forEach(book::apply);

        assertEquals(List.of("j1", "j2", "j3", "j4", "j5", "j6", "j7", "j8"), ids(sent), "4 slots x 2 ahead");
        assertEquals(8, book.running("web"));
        assertEquals(List.of(), book.dispatch(cloud, T0, 2), "full: what runs and what waits for a slot count");
        book.answered("j1", 1, new Answer.Done("web-1", null, 3), T0).ifPresent(book::apply);
        assertEquals(List.of("j9"), ids(book.dispatch(cloud, T0, 2)));
    }

    @Test
    void anEndedJobFreesItsPlaceForTheNextInLine() {
        CloudState cloud = podWithNodes(CloudState.empty(), "web", 1, 1);
        submit(cloud, "web", "j1", "j2", "j3", "j4");
        journal.dispatch(cloud, T0);

        journal.answered("j2", 1, new Answer.Done("web-1", null, 3), T0).orElseThrow();

        assertEquals(List.of("j3"), ids(journal.dispatch(cloud, T0)));
        assertEquals(Optional.of(Status.QUEUED), book.status("j4"));
        assertEquals(1, book.queued("web"));
    }

    @Test
    void eachPodHasItsOwnCapacity() {
        CloudState cloud = podWithNodes(podWithNodes(CloudState.empty(), "a", 1, 1), "b", 2, 2);
        submit(cloud, "a", "a1", "a2", "a3");
        submit(cloud, "b", "b1", "b2", "b3", "b4", "b5");

        List<String> sent = ids(journal.dispatch(cloud, T0));

        assertEquals(List.of("a1", "a2"), sent.stream().filter(id -> id.startsWith("a")).toList());
        assertEquals(List.of("b1", "b2", "b3", "b4"), sent.stream().filter(id -> id.startsWith("b")).toList());
        assertEquals(1, book.queued("a"));
        assertEquals(1, book.queued("b"));
    }

    @Test
    void withoutAnOnlineNodeJobsWaitQueuedUntilOneComes() {
        CloudState starting = podWithNodes(CloudState.empty(), "web", 1, 0);
        submit(starting, "web", "j1");

        assertEquals(List.of(), journal.dispatch(starting, T0));
        assertEquals(List.of(), journal.dispatch(podWithNodes(CloudState.empty(), "web", 0, 0), T0), "no nodes");
        assertEquals(Optional.of(Status.QUEUED), book.status("j1"));

        CloudState up = observed(starting, T0, online("web", "web-1", "10.0.0.1", 30001));
        assertEquals(List.of("j1"), ids(journal.dispatch(up, T0)));
    }

    @Test
    void aPausedPodHoldsItsJobsUntilResumed() {
        CloudState cloud = podWithNodes(CloudState.empty(), "web", 1, 1);
        CloudState paused = given(cloud, pause("web"));
        submit(paused, "web", "j1");

        assertEquals(List.of(), journal.dispatch(paused, T0));
        assertEquals(Optional.of(Status.QUEUED), book.status("j1"));
        assertEquals(List.of("j1"), ids(journal.dispatch(given(paused, resume("web")), T0)));
    }

    @Test
    void aPodWithoutAFrontendPortHoldsItsJobs() {
        CloudState cloud = podWithNodes(CloudState.empty(), "web", 1, 1);
        Pod p = cloud.requirePod("web");
        CloudState noFrontend = cloud.withPod(new Pod(p.name(), p.workload(), p.cpuLimit(), p.memoryMb(),
                p.nodeLimit(), p.paused(), p.elasticity(), p.nodes(), p.createdAt()));
        submit(noFrontend, "web", "j1");

        assertEquals(List.of(), journal.dispatch(noFrontend, T0));
        assertEquals(List.of("j1"), ids(journal.dispatch(cloud, T0)));
    }

    @Test
    void aJobWaitingForItsRetryIsPassedOverUntilItsTime() {
        CloudState cloud = podWithNodes(CloudState.empty(), "web", 1, 1);
        journal.start("j1", "web", cloud, T0);
        JobEvent.JobQueued retry = (JobEvent.JobQueued) journal.answered("j1", 1,
                new Answer.NodeFailure("connection refused"), T0).orElseThrow();
        Instant due = retry.notBefore();
        assertEquals(T0.plusMillis(100), due);
        submit(cloud, "web", "j2", "j3");

        assertEquals(List.of("j2", "j3"), ids(journal.dispatch(cloud, due.minusMillis(1))),
                "passed over, and it takes no place");
        journal.answered("j2", 1, new Answer.Done("web-1", null, 1), due).orElseThrow();

        List<JobEvent> sent = journal.dispatch(cloud, due);
        assertEquals(List.of("j1"), ids(sent));
        assertEquals(2, ((JobEvent.JobRunning) sent.get(0)).attempt());
    }

    @Test
    void aJobBackForAnotherAttemptGoesBeforeTheNewOnes() {
        CloudState cloud = podWithNodes(CloudState.empty(), "web", 1, 1);
        journal.start("j1", "web", cloud, T0);
        JobEvent.JobQueued retry = (JobEvent.JobQueued) journal.answered("j1", 1,
                new Answer.NodeFailure("connection refused"), T0).orElseThrow();
        submit(cloud, "web", "j2", "j3");

        assertEquals(List.of("j1", "j2"), ids(journal.dispatch(cloud, retry.notBefore())),
                "once due, first in line (two places on the node)");
    }

    @Test
    void jobsOfARemovedPodFail() {
        CloudState cloud = podWithNodes(podWithNodes(CloudState.empty(), "web", 1, 1), "other", 1, 1);
        submit(cloud, "web", "j1", "j2", "j3");
        submit(cloud, "other", "o1");
        journal.dispatch(cloud, T0);
        CloudState removed = given(cloud, removePod("web", true));

        List<JobEvent> out = journal.dispatch(removed, T0);

        assertEquals(List.of("j3"), ids(out), "the queued one; the running ones wait for their answer");
        JobEvent.JobFailed f = assertInstanceOf(JobEvent.JobFailed.class, out.get(0));
        assertEquals("pod 'web' was removed before the job ran", f.reason());
        assertEquals("web", f.pod());
        assertEquals(Optional.of(Status.FAILED), book.status("j3"));
        assertEquals(2, book.running("web"));
        assertEquals(Optional.of(Status.RUNNING), book.status("o1"));

        journal.answered("j1", 1, new Answer.NodeFailure("connection refused"), T0).orElseThrow();
        assertEquals(List.of("j1"), ids(journal.dispatch(removed, T0.plusSeconds(1))), "its retry fails");
        assertEquals(Optional.of(Status.FAILED), book.status("j1"));
    }
}
