package cms.web.model;

import cms.core.event.JobEvent;
import cms.web.jobs.JobView;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest state of a pod's recent jobs, as the job API shows them (status, node, attempt, result or
 * error), at most {@code capacity}: when full, the oldest finished job makes room first, so that queued
 * and running jobs stay listed as long as possible.
 */
public final class RecentJobs {

    private final int capacity;
    private final Map<String, JobView> jobs = new LinkedHashMap<>();

    public RecentJobs(int capacity) {
        this.capacity = capacity;
    }

    public void apply(JobEvent e) {
        JobView before = jobs.remove(e.jobId());
        jobs.put(e.jobId(), JobView.apply(before, e));
        while (jobs.size() > capacity) {
            evictOne();
        }
    }

    private void evictOne() {
        Iterator<JobView> it = jobs.values().iterator();
        while (it.hasNext()) {
            if (it.next().terminal()) {
                it.remove();
                return;
            }
        }
        jobs.remove(jobs.keySet().iterator().next());
    }

    /** Newest first. */
    public List<JobView> newestFirst(int limit) {
        List<JobView> all = new ArrayList<>(jobs.values());
        List<JobView> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
            out.add(all.get(i));
        }
        return out;
    }
}
