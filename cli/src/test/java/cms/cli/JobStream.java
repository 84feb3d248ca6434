package cms.cli;

import static org.awaitility.Awaitility.await;

import cms.core.event.JobEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jobs for one pod submitted through the API at a steady rate ({@code j-1}, {@code j-2}, …) until stopped,
 * and the ids the API accepted (202), so that a test can check that each ended exactly once.
 */
final class JobStream implements AutoCloseable {

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor();

    JobStream(JsonHttp http, String pod, Duration every) {
        AtomicInteger sent = new AtomicInteger();
        submitter.scheduleAtFixedRate(() -> {
            String id = "j-" + sent.incrementAndGet();
            try {
                if (http.post("/api/jobs", "{\"pod\":\"" + pod + "\",\"job_id\":\"" + id + "\"}").status() == 202) {
                    accepted.add(id);
                }
            } catch (RuntimeException e) {
                // counted as not accepted
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Submits no more, then waits (up to {@code within}) until every accepted job has a terminal event. */
    void stopAndAwaitEnds(JobEventsTap tap, Duration within) throws InterruptedException {
        submitter.shutdown();
        if (!submitter.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new AssertionError("a job submission did not end within 30 s");
        }
        await().atMost(within).until(() -> accepted.stream()
                .allMatch(id -> !JobEventsTap.terminals(tap.events(id)).isEmpty()));
    }

    /** The accepted jobs that did not end exactly once, SUCCEEDED, in {@code all} (job id → its events). */
    List<String> notSucceededOnce(Map<String, List<JobEvent>> all) {
        List<String> wrong = new ArrayList<>();
        for (String id : accepted) {
            List<JobEvent> ends = JobEventsTap.terminals(all.getOrDefault(id, List.of()));
            if (ends.size() != 1 || !(ends.get(0) instanceof JobEvent.JobSucceeded)) {
                wrong.add(id + " " + ends);
            }
        }
        return wrong;
    }

    @Override
    public void close() {
        submitter.shutdownNow();
    }
}
