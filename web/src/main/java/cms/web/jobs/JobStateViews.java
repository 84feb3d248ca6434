package cms.web.jobs;

import cms.core.event.JobStateRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest record of each key of {@code job-state} as it is read, kept as the {@link JobView} the table will hold
 * and the record's {@code at} (all its order needs), not as the record: one representation per job (its id the
 * record's, which {@code EventCodec.decodeJobState} makes the key's own String). Not thread-safe: filled by the one
 * thread that decodes, read once it is done.
 */
final class JobStateViews {

    /** The view of one record, and when that record last changed. */
    private record Timed(JobView view, Instant at) {
    }

    /** In the order each key's last record was read: a key written again moves to the end (access order). */
    private final Map<String, Timed> newest = new LinkedHashMap<>(16, 0.75f, true);

    /** The record under {@code key}, in place of the one before it; a null record (a tombstone) removes it. */
    void put(String key, JobStateRecord record) {
        if (record == null) {
            newest.remove(key);
        } else {
            newest.put(key, new Timed(JobView.of(record), record.at()));
        }
    }

    int size() {
        return newest.size();
    }

    /** The views by the time their record last changed, the oldest first (in the order read when at the same time). */
    List<JobView> inOrder() {
        List<Timed> timed = new ArrayList<>(newest.values());
        timed.sort(Comparator.comparing(Timed::at));
        List<JobView> out = new ArrayList<>(timed.size());
        for (Timed t : timed) {
            out.add(t.view());
        }
        return out;
    }
}
