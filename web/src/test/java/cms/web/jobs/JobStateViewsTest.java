package cms.web.jobs;

import static cms.web.jobs.JobTableStateTest.ended;
import static cms.web.jobs.JobTableStateTest.live;
import static cms.web.jobs.JobViewTest.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import cms.core.event.JobStateRecord;
import cms.core.event.JobStateRecord.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The newest record of each key as the view the table holds, in the order the table needs: by the time the record
 * last changed, the oldest first, and in the order read when at the same time.
 */
class JobStateViewsTest {

    private final JobStateViews views = new JobStateViews();

    private List<String> ids() {
        return views.inOrder().stream().map(v -> v.jobId() + ":" + v.status()).toList();
    }

    @Test
    void eachKeyIsItsNewestRecordAsItsViewByTimeOfChange() {
        views.put("j1", ended("j1", Status.SUCCEEDED, t(5)));
        views.put("j2", live("j2", Status.QUEUED, 1, t(1)));
        views.put("j3", ended("j3", Status.FAILED, t(3)));
        views.put("j2", live("j2", Status.RUNNING, 1, t(4)));

        assertEquals(List.of("j3:FAILED", "j2:RUNNING", "j1:SUCCEEDED"), ids());
        assertEquals(3, views.size());
        JobView j1 = views.inOrder().get(2);
        assertEquals(JobView.of(ended("j1", Status.SUCCEEDED, t(5))), j1, "the view the record makes");
    }

    @Test
    void aTombstoneForgetsTheKeyAndARecordAfterItBringsItBack() {
        views.put("j1", ended("j1", Status.SUCCEEDED, t(1)));
        views.put("j2", ended("j2", Status.SUCCEEDED, t(2)));
        views.put("j1", null);
        assertEquals(List.of("j2:SUCCEEDED"), ids());
        views.put("j1", ended("j1", Status.ABORTED, t(3)));
        assertEquals(List.of("j2:SUCCEEDED", "j1:ABORTED"), ids());
    }

    @Test
    void recordsOfTheSameTimeStayInTheOrderTheirLastVersionWasRead() {
        views.put("a", ended("a", Status.SUCCEEDED, t(2)));
        views.put("b", ended("b", Status.SUCCEEDED, t(2)));
        views.put("c", ended("c", Status.SUCCEEDED, t(2)));
        views.put("a", ended("a", Status.FAILED, t(2)));
        assertEquals(List.of("b:SUCCEEDED", "c:SUCCEEDED", "a:FAILED"), ids());
    }

    @Test
    void theJobIdIsTheRecordsOwnString() {
        JobStateRecord record = ended(new String("job-7"), Status.SUCCEEDED, t(1));
        views.put("job-7", record);
        assertSame(record.jobId(), views.inOrder().get(0).jobId(), "no copy of it (decodeJobState makes it the key)");

        JobStateViews other = new JobStateViews();
        other.put("key-1", ended("job-1", Status.SUCCEEDED, t(1)));
        assertEquals("job-1", other.inOrder().get(0).jobId(), "a key that is not the job's id is not its id");
    }
}
