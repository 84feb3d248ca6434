package cms.web.jobs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The jobs of a {@link JobTable} per pod and status, each set in the order the job API lists them (newest first by
 * submission, then by id), kept up to date job by job: a page merges the sets of the pods and statuses asked for
 * from where the last page ended, instead of sorting every job the table holds for each request or walking past
 * every job of another pod or status (a status few jobs have, among 200 000 ended ones, is answered from its own
 * few). The counts by pod and status are the sizes of those sets. Not thread-safe: the table's lock guards it.
 */
final class JobIndex {

    /** The API's order: newest first (by submission; none last), then by id (one order to page through). */
    static final Comparator<JobView> NEWEST = Comparator
            .comparing(JobView::submittedAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(JobView::jobId);

    /**
     * Per pod (null: a job without one), its jobs of each status in the API's order; a status's set goes when its
     * last job does, and a pod's map with its last set.
     */
    private final Map<String, Map<String, NavigableSet<JobView>>> byPod = new HashMap<>();
    private final Map<String, Integer> all = new HashMap<>();

    /** An index of {@code jobs}. */
    JobIndex(Collection<JobView> jobs) {
        jobs.forEach(j -> count(j, 1));
    }

    /** {@code before} (null: none) replaced by {@code after} (null: the job is gone). */
    void change(JobView before, JobView after) {
        if (before != null) {
            count(before, -1);
        }
        if (after != null) {
            count(after, 1);
        }
    }

    private void count(JobView job, int delta) {
        all.merge(job.status(), delta, JobIndex::sumOrNone);
        Map<String, NavigableSet<JobView>> pod = byPod.computeIfAbsent(job.pod(), p -> new HashMap<>());
        NavigableSet<JobView> jobs = pod.computeIfAbsent(job.status(), st -> new TreeSet<>(NEWEST));
        if (delta > 0) {
            jobs.add(job);
        } else {
            jobs.remove(job);
        }
        if (jobs.isEmpty()) {
            pod.remove(job.status());
        }
        if (pod.isEmpty()) {
            byPod.remove(job.pod());
        }
    }

    private static Integer sumOrNone(int a, int b) {
        return a + b == 0 ? null : a + b;
    }

    /** Counts of jobs by status (none at 0), for one pod or all (null). */
    Map<String, Integer> counts(String pod) {
        if (pod == null) {
            return new LinkedHashMap<>(all);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        byPod.getOrDefault(pod, Map.of()).forEach((status, jobs) -> counts.put(status, jobs.size()));
        return counts;
    }

    /**
     * Up to {@code max} jobs of the pod and status (each null: any), in the API's order, from just after
     * {@code after} (null: from the first).
     */
    List<JobView> page(String pod, String status, JobView after, int max) {
        List<JobView> out = new ArrayList<>(Math.min(max, 1024));
        // the sets that hold the jobs of the pod and status, merged in the API's order from just after `after`
        PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> NEWEST.compare(a.job, b.job));
        Collection<Map<String, NavigableSet<JobView>>> pods = pod == null ? byPod.values()
                : byPod.containsKey(pod) ? List.of(byPod.get(pod)) : List.of();
        for (Map<String, NavigableSet<JobView>> statuses : pods) {
            Collection<NavigableSet<JobView>> sets = status == null ? statuses.values()
                    : statuses.containsKey(status) ? List.of(statuses.get(status)) : List.of();
            for (NavigableSet<JobView> jobs : sets) {
                Iterator<JobView> it = (after == null ? jobs : jobs.tailSet(after, false)).iterator();
                if (it.hasNext()) {
                    heads.add(new Head(it.next(), it));
                }
            }
        }
        while (out.size() < max && !heads.isEmpty()) {
            Head h = heads.poll();
            out.add(h.job);
            if (h.rest.hasNext()) {
                heads.add(new Head(h.rest.next(), h.rest));
            }
        }
        return out;
    }

    /** The next job of one set, and the rest of it after that job. */
    private record Head(JobView job, Iterator<JobView> rest) {
    }

    /** True when the job is of the pod and status (each null: any). */
    static boolean matches(JobView job, String pod, String status) {
        return (pod == null || pod.equals(job.pod())) && (status == null || status.equals(job.status()));
    }
}
