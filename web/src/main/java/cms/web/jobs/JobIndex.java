package cms.web.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The jobs of a {@link JobTable} in the order the job API lists them (newest first by submission, then by id) and
 * their counts by pod and status, kept up to date job by job: a page is read from where the last one ended, not by
 * sorting every job the table holds for each request. Not thread-safe: the table's lock guards it.
 */
final class JobIndex {

    /** The API's order: newest first (by submission; none last), then by id (one order to page through). */
    static final Comparator<JobView> NEWEST = Comparator
            .comparing(JobView::submittedAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(JobView::jobId);

    private final NavigableSet<JobView> ordered = new TreeSet<>(NEWEST);
    /** Per pod (null: a job without one), its counts by status; the map of a pod goes when its last job does. */
    private final Map<String, Map<String, Integer>> byPod = new HashMap<>();
    private final Map<String, Integer> all = new HashMap<>();

    /** An index of {@code jobs}. */
    JobIndex(Collection<JobView> jobs) {
        jobs.forEach(this::add);
    }

    /** {@code before} (null: none) replaced by {@code after} (null: the job is gone). */
    void change(JobView before, JobView after) {
        if (before != null) {
            ordered.remove(before);
            count(before, -1);
        }
        if (after != null) {
            add(after);
        }
    }

    private void add(JobView job) {
        ordered.add(job);
        count(job, 1);
    }

    private void count(JobView job, int delta) {
        all.merge(job.status(), delta, JobIndex::sumOrNone);
        Map<String, Integer> pod = byPod.computeIfAbsent(job.pod(), p -> new HashMap<>());
        pod.merge(job.status(), delta, JobIndex::sumOrNone);
        if (pod.isEmpty()) {
            byPod.remove(job.pod());
        }
    }

    private static Integer sumOrNone(int a, int b) {
        return a + b == 0 ? null : a + b;
    }

    /** Counts of jobs by status (none at 0), for one pod or all (null). */
    Map<String, Integer> counts(String pod) {
        return new LinkedHashMap<>(pod == null ? all : byPod.getOrDefault(pod, Map.of()));
    }

    /**
     * Up to {@code max} jobs of the pod and status (each null: any), in the API's order, from just after
     * {@code after} (null: from the first).
     */
    List<JobView> page(String pod, String status, JobView after, int max) {
        List<JobView> out = new ArrayList<>(Math.min(max, 1024));
        for (JobView j : after == null ? ordered : ordered.tailSet(after, false)) {
            if (out.size() >= max) {
                break;
            }
            if (matches(j, pod, status)) {
                out.add(j);
            }
        }
        return out;
    }

    /** True when the job is of the pod and status (each null: any). */
    static boolean matches(JobView job, String pod, String status) {
        return (pod == null || pod.equals(job.pod())) && (status == null || status.equals(job.status()));
    }
}
