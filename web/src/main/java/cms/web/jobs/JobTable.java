package cms.web.jobs;

import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the job API knows of each job: loaded from {@code job-state} ({@link #restore}), then folded from
 * {@code job-events}; plus jobs this web service took but whose first event has not come back yet (SUBMITTED).
 * An event older than what the table holds changes nothing (an ended job stays ended, a job never goes back to an
 * earlier attempt), so the events read after the state may overlap it. Keeps every job not ended and the last
 * {@code capacity} ended ones: the one that ended first is forgotten first, and is then unknown (the API answers
 * 404). Callers may wait for a job to end. Thread-safe.
 */
public final class JobTable {

    private final int capacity;
    /** Every job held; made anew, sized for them, by a {@link #restoreAll} into an empty table. */
    private Map<String, JobView> jobs = new HashMap<>();
    /** The ids of the ended jobs held, in the order they ended here. */
    private LinkedHashSet<String> ended = new LinkedHashSet<>();
    private final Map<String, List<CompletableFuture<JobView>>> waiters = new HashMap<>();
    /** Per pod, the jobs SUBMITTED or QUEUED: what waits for a node. */
    private final Map<String, Integer> waiting = new HashMap<>();
    /**
     * The jobs in the API's order and their counts: made at the first {@link #page}, {@link #list} or {@link #counts}
     * (not while the table loads its start), then kept up to date with every change. Null until then.
     */
    private JobIndex index;

    public JobTable(int capacity) {
        this.capacity = capacity;
    }

    /** A job sent to the {@code jobs} topic by this service: SUBMITTED until its first event is read. */
    public synchronized void submitted(String jobId, String pod, Instant at) {
        if (!jobs.containsKey(jobId)) {
            put(jobId, null, JobView.submitted(jobId, pod, at));
        }
    }

    /** The hand-off of a job this service took failed: it is not SUBMITTED after all (unless an event came). */
    public synchronized void submitFailed(String jobId) {
        JobView j = jobs.get(jobId);
        if (j != null && "SUBMITTED".equals(j.status())) {
            jobs.remove(jobId);
            count(j, -1);
            indexed(j, null);
        }
    }

    public synchronized void apply(JobEvent event) {
        JobView before = jobs.get(event.jobId());
        change(event.jobId(), before, JobView.apply(before, event));
    }

    /**
     * A job as its {@code job-state} record has it; changes nothing when the table knows the job as far along (an
     * ended job stays as the table has it: it may hold the result, which the record leaves out).
     */
    public void restore(JobStateRecord record) {
        restoreAll(List.of(JobView.of(record)));
    }

    /**
     * {@link #restore} of each job as its record has it ({@link JobView#of}), in the order given (the oldest ended
     * first, so that they are forgotten first), under one lock and trimmed once: the table's start from
     * {@code job-state}, which holds the whole window.
     */
    public synchronized void restoreAll(List<JobView> views) {
        if (jobs.isEmpty()) { // sized once for what comes, not grown step by step
            int size = Math.max(16, (int) (views.size() / 0.75f) + 1);
            jobs = new HashMap<>(size);
            ended = new LinkedHashSet<>(size);
        }
        for (JobView candidate : views) {
            JobView before = jobs.get(candidate.jobId());
            if (before == null || (!before.terminal() && candidate.progress() >= before.progress())) {
                place(candidate.jobId(), before, candidate);
            }
        }
        trim();
    }

    private void change(String jobId, JobView before, JobView after) {
        if (after == before) {
            return;
        }
        place(jobId, before, after);
        trim();
    }

    /** The job as it is now; those waiting for its end are told when it has ended. Trimmed by the caller. */
    private void place(String jobId, JobView before, JobView after) {
        put(jobId, before, after);
        if (after.terminal()) {
            List<CompletableFuture<JobView>> w = waiters.remove(jobId);
            if (w != null) {
                w.forEach(f -> f.complete(after));
            }
        }
    }

    private void put(String jobId, JobView before, JobView after) {
        jobs.put(jobId, after);
        indexed(before, after);
        count(before, -1);
        count(after, 1);
        if (after.terminal()) {
            ended.add(jobId);
        }
    }

    private void count(JobView job, int delta) {
        if (job != null && job.pod() != null && ("SUBMITTED".equals(job.status()) || "QUEUED".equals(job.status()))) {
            waiting.merge(job.pod(), delta, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    /** Jobs of the pod that wait for a node (SUBMITTED or QUEUED), as this service has seen them. */
    public synchronized int waiting(String pod) {
        return waiting.getOrDefault(pod, 0);
    }

    private void indexed(JobView before, JobView after) {
        if (index != null) {
            index.change(before, after);
        }
    }

    private void trim() {
        Iterator<String> it = ended.iterator();
        while (ended.size() > capacity) {
            indexed(jobs.remove(it.next()), null);
            it.remove();
        }
    }

    private JobIndex index() {
        if (index == null) {
            index = new JobIndex(jobs.values());
        }
        return index;
    }

    /** How many ended jobs the table holds (at most its capacity). */
    public synchronized int endedCount() {
        return ended.size();
    }

    public synchronized Optional<JobView> get(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    /** Newest first (by submission), optionally of one pod and one status, at most {@code limit}. */
    public synchronized List<JobView> list(String pod, String status, int limit) {
        return index().page(pod, status, null, limit);
    }

    /** Newest first (by submission, then by id: one order to page through), optionally of one pod and one status. */
    public synchronized List<JobView> list(String pod, String status) {
        return list(pod, status, Integer.MAX_VALUE);
    }

    /**
     * Up to {@code max} jobs of the pod and status (each null: any) in {@link #list}'s order, from just after the job
     * {@code afterId} (null: from the first); empty when that job is not among them (unknown, forgotten, or no longer
     * of that status).
     */
    public synchronized Optional<List<JobView>> page(String pod, String status, String afterId, int max) {
        JobView after = null;
        if (afterId != null) {
            after = jobs.get(afterId);
            if (after == null || !JobIndex.matches(after, pod, status)) {
                return Optional.empty();
            }
        }
        return Optional.of(index().page(pod, status, after, max));
    }

    /** Counts of jobs by status, for one pod or all. */
    public synchronized Map<String, Integer> counts(String pod) {
        return index().counts(pod);
    }

    /**
     * Completes with the job once it has ended, at once if it has; with its state as it is when
     * {@code timeout} passes otherwise; empty when the job is unknown.
     */
    public Optional<CompletableFuture<JobView>> awaitEnd(String jobId, Duration timeout) {
        CompletableFuture<JobView> f = new CompletableFuture<>();
        synchronized (this) {
            JobView now = jobs.get(jobId);
            if (now == null) {
                return Optional.empty();
            }
            if (now.terminal()) {
                return Optional.of(CompletableFuture.completedFuture(now));
            }
            waiters.computeIfAbsent(jobId, k -> new ArrayList<>()).add(f);
        }
        return Optional.of(f.completeOnTimeout(null, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .thenApply(v -> {
                    if (v != null) {
                        return v;
                    }
                    synchronized (this) {
                        List<CompletableFuture<JobView>> w = waiters.get(jobId);
                        if (w != null) {
                            w.remove(f);
                            if (w.isEmpty()) {
                                waiters.remove(jobId);
                            }
                        }
                        return jobs.get(jobId);
                    }
                }));
    }
}
