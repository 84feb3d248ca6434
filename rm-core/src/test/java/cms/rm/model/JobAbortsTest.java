package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.podWithNodes;
import static cms.rm.model.JobFixtures.LIMITS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import cms.core.event.AdminRequest;
import cms.core.event.JobEvent;
import cms.rm.model.JobFixtures.Journal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An abort request: its event and reply, or its refusal in the API's words (and then no event). */
class JobAbortsTest {

    private final Journal journal = new Journal(LIMITS);

    private JobAborts.Decision abort(String jobId) {
        return JobAborts.decide(journal.book, new AdminRequest.AbortJob("r", 1, T0, jobId, "not needed"), T0);
    }

    @Test
    void aLiveJobIsAbortedWithItsReason() {
        journal.start("j1", "web", podWithNodes(CloudState.empty(), "web", 1, 1), T0);

        JobAborts.Decision d = abort("j1");

        JobEvent.JobAborted a = assertInstanceOf(JobEvent.JobAborted.class, d.event());
        assertEquals("not needed", a.reason());
        assertEquals(200, d.reply().status());
        assertEquals(Map.of("jobId", "j1", "status", "ABORTED"), d.reply().body());
    }

    @Test
    void anUnknownJobIs404NamingTheIdAndABadIdIs400() {
        JobAborts.Decision unknown = abort("nobody");
        assertNull(unknown.event());
        assertEquals(404, unknown.reply().status());
        assertEquals("id", unknown.reply().field());
        assertEquals("no job with id 'nobody'", unknown.reply().message());

        JobAborts.Decision bad = abort("a b");
        assertNull(bad.event());
        assertEquals(400, bad.reply().status());
        assertEquals("id", bad.reply().field());
    }
}
