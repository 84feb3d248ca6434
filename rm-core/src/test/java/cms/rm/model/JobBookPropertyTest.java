package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.given;
import static cms.rm.model.CloudFixtures.pause;
import static cms.rm.model.CloudFixtures.podWithNodes;
import static cms.rm.model.JobFixtures.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cms.core.event.JobEvent;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.rm.model.JobBook.Answer;
import cms.rm.model.JobBook.Status;
import cms.rm.model.JobFixtures.Journal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of submissions, dispatches, answers, aborts, restarts and cloud changes (each seeded,
 * so a failure names the seed that repeats it): no job ever gets an event after its terminal one, the
 * counts are those of the live jobs, a book rebuilt from the events is the same, and once the nodes
 * answer every job ends exactly once.
 */
class JobBookPropertyTest {

    private static final int SEQUENCES = 3000;
    private static final JobBook.Limits LIMITS = new JobBook.Limits(2, 3, Duration.ofMillis(100), 64, 60, 100_000);
    private static final List<String> PODS = List.of("a", "b", "ghost");
    private static final CloudState BOTH = podWithNodes(podWithNodes(CloudState.empty(), "a", 2, 2), "b", 1, 1);
    /** Both pods; b paused; a removed; b with no ONLINE node. */
    private static final List<CloudState> CLOUDS = List.of(BOTH, given(BOTH, pause("b")), BOTH.withoutPod("a"),
            podWithNodes(podWithNodes(CloudState.empty(), "a", 2, 2), "b", 1, 0));

    @Test
    void everyJobEndsAtMostOnceAndTheBookIsItsEvents() {
        for (int seed = 0; seed < SEQUENCES; seed++) {
            new Run(seed).go();
        }
    }

    /** One random sequence, checked after every step. */
    private static final class Run {
        private final long seed;
        private final Random random;
        private final Journal journal = new Journal(LIMITS);
        private final Map<String, JobEvent> last = new HashMap<>();
        private CloudState cloud = BOTH;
        private Instant now = T0;
        private int checked;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
        }

        void go() {
            int steps = 20 + random.nextInt(60);
            for (int i = 0; i < steps; i++) {
                step();
                check();
            }
            JobBook rebuilt = JobBookReplayTest.rebuilt(LIMITS, journal.events);
            assertEquals(JobBookReplayTest.Snapshot.of(journal.book, journal.events, Set.copyOf(PODS)),
                    JobBookReplayTest.Snapshot.of(rebuilt, journal.events, Set.copyOf(PODS)), this::seed);
            finish();
        }

        private String seed() {
            return "seed " + seed;
        }

        private String anyId() {
            return "j" + random.nextInt(12);
        }

        private void step() {
            int dice = random.nextInt(100);
            if (dice < 30) {
                Integer timeout = random.nextInt(4) == 0 ? random.nextInt(70) - 5 : null;
                String pod = random.nextInt(10) == 0 ? null : PODS.get(random.nextInt(PODS.size()));
                journal.submit(submitted(anyId(), pod, null, timeout), random.nextInt(80), cloud, now);
            } else if (dice < 50) {
                dispatch();
            } else if (dice < 75) {
                answer(anyId());
            } else if (dice < 83) {
                abort(anyId());
            } else if (dice < 88) {
                journal.recover(randomRunning(), now);
            } else if (dice < 95) {
                now = now.plusMillis(random.nextInt(400));
            } else {
                cloud = CLOUDS.get(random.nextInt(CLOUDS.size()));
            }
        }

        private void dispatch() {
            Map<String, Integer> before = new HashMap<>();
            PODS.forEach(p -> before.put(p, journal.book.running(p)));
            journal.dispatch(cloud, now);
            for (Pod p : cloud.pods().values()) {
                long capacity = p.count(NodeState.ONLINE) * LIMITS.perNode();
                assertTrue(journal.book.running(p.name()) <= Math.max(before.get(p.name()), capacity),
                        () -> seed() + ": dispatch ran more than pod " + p.name() + " can take");
            }
        }

        private void answer(String id) {
            int attempt = journal.book.live(id).map(JobBook.Job::attempt).orElse(1);
            if (random.nextInt(5) == 0) {
                attempt = 1 + random.nextInt(LIMITS.maxAttempts());
            }
            Answer answer = switch (random.nextInt(4)) {
                case 0 -> new Answer.Done("n", null, 1);
                case 1 -> new Answer.Refused("n", 422, "no");
                case 2 -> new Answer.TimedOut(Duration.ofSeconds(1));
                default -> new Answer.NodeFailure("refused");
            };
            journal.answered(id, attempt, answer, now);
        }

        private void abort(String id) {
            JobEvent end = last.get(id);
            try {
                journal.abort(id, null, now);
                assertTrue(end != null && !end.terminal(), () -> seed() + ": aborted " + id + " after " + end);
            } catch (Rejection r) {
                assertEquals(end == null ? 404 : 409, r.status(), () -> seed() + ": abort " + id + " after " + end);
                assertTrue(end == null || end.terminal(), () -> seed() + ": refused to abort " + id + " at " + end);
            }
        }

        private Set<String> randomRunning() {
            Set<String> inFlight = new HashSet<>();
            for (JobBook.Job j : journal.book.runningJobs()) {
                if (random.nextBoolean()) {
                    inFlight.add(j.id());
                }
            }
            return inFlight;
        }

        /** The new events: none after a terminal one; each job's status and the counts follow its last event. */
        private void check() {
            for (; checked < journal.events.size(); checked++) {
                JobEvent e = journal.events.get(checked);
                JobEvent before = last.put(e.jobId(), e);
                if (before != null && before.terminal()) {
                    fail(seed() + ": " + e + " after the terminal " + before);
                }
            }
            Map<String, Integer> queued = new HashMap<>();
            Map<String, Integer> running = new HashMap<>();
            for (JobEvent e : last.values()) {
                assertEquals(Optional.of(statusAfter(e)), journal.book.status(e.jobId()), this::seed);
                if (e instanceof JobEvent.JobQueued q) {
                    queued.merge(q.pod(), 1, Integer::sum);
                } else if (e instanceof JobEvent.JobRunning r) {
                    running.merge(r.pod(), 1, Integer::sum);
                }
            }
            for (String pod : PODS) {
                assertEquals(queued.getOrDefault(pod, 0), journal.book.queued(pod), () -> seed() + " queued " + pod);
                assertEquals(running.getOrDefault(pod, 0), journal.book.running(pod), () -> seed() + " running " + pod);
            }
        }

        private static Status statusAfter(JobEvent e) {
            if (e instanceof JobEvent.JobQueued) {
                return Status.QUEUED;
            } else if (e instanceof JobEvent.JobRunning) {
                return Status.RUNNING;
            } else if (e instanceof JobEvent.JobSucceeded) {
                return Status.SUCCEEDED;
            }
            return e instanceof JobEvent.JobFailed ? Status.FAILED : Status.ABORTED;
        }

        /** Restarts with nothing in flight and answers every job until none is live: each ends exactly once. */
        private void finish() {
            cloud = BOTH;
            for (int round = 0; round < 10 && last.values().stream().anyMatch(e -> !e.terminal()); round++) {
                journal.recover(Set.of(), now);
                now = now.plusSeconds(60);
                for (JobEvent e : journal.dispatch(cloud, now)) {
                    journal.answered(e.jobId(), ((JobEvent.JobRunning) e).attempt(), new Answer.Done("n", null, 1), now);
                }
                check();
            }
            for (JobEvent e : last.values()) {
                assertTrue(e.terminal(), () -> seed() + ": " + e.jobId() + " never ended; last " + e);
            }
            assertEquals(last.size(), journal.events.stream().filter(JobEvent::terminal).count(), this::seed);
        }
    }
}
