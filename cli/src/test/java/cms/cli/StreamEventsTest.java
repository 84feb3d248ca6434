package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.Event;
import cms.core.event.JobEvent;
import cms.web.ApiJson;
import cms.web.model.Kind;
import cms.web.model.LiveEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the client reads of the stream's events, against events as the web service writes them (its own types). */
class StreamEventsTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    /** How the web writes a streamed event: the API's snake_case. */
    private final ApiJson api = new ApiJson(new EventCodec());

    /** An event's data as {@code LiveController} sends it: the live view's envelope of the record, both in the API's spelling. */
    private String data(JobEvent e) {
        String record = api.write(e); // the record in the API's spelling, as the live view keeps it
        return api.write(new LiveEvent(7, Kind.JOBS, e.pod(), T.toEpochMilli(), (Event) e, record));
    }

    @Test
    void theThreeEndsOfAJob() {
        assertTrue(StreamEvents.endsJob(data(new JobEvent.JobSucceeded("e1", 1, T, "j1", "p", "n1",
                null, 12)), "j1"));
        assertTrue(StreamEvents.endsJob(data(new JobEvent.JobFailed("e2", 1, T, "j1", "p", "timed out")),
                "j1"));
        assertTrue(StreamEvents.endsJob(data(new JobEvent.JobAborted("e3", 1, T, "j1", "p", "by hand")),
                "j1"));
    }

    @Test
    void notAnEndOrNotThisJob() {
        assertFalse(StreamEvents.endsJob(data(new JobEvent.JobQueued("e1", 1, T, "j1", "p")), "j1"));
        assertFalse(StreamEvents.endsJob(data(new JobEvent.JobRunning("e2", 1, T, "j1", "p", "n1", 1)),
                "j1"));
        assertFalse(StreamEvents.endsJob(data(new JobEvent.JobAborted("e3", 1, T, "j2", "p", "x")), "j1"));
        assertFalse(StreamEvents.endsJob("not json", "j1"));
    }

    @Test
    void theStreamOfAKindAboutAPod() {
        assertEquals("http://h:1/api/stream?kind=jobs&pod=a%20b", StreamEvents.url("http://h:1", "jobs", "a b"));
        assertEquals("http://h:1/api/stream?kind=pods", StreamEvents.url("http://h:1", "pods", null));
    }
}
