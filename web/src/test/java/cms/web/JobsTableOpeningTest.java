package cms.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import cms.core.event.JobStateRecord;
import cms.web.jobs.TableOpening;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * After a start the HTTP server answers while the job table loads, but the job API waits for the table: a job that
 * ended before the restart is answered as it ended, never 404 because its record was not read yet.
 */
class JobsTableOpeningTest {

    @Test
    void aJobReadWhileTheTableLoadsWaitsAndIsAnsweredFromTheLoadedTable() throws Exception {
        CountDownLatch loaded = new CountDownLatch(1);
        AtomicBoolean waiting = new AtomicBoolean();
        try (TestWeb web = new TestWeb()) {
            web.opening = new TableOpening(timeout -> {
                waiting.set(true);
                return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }, web.clock, TestWeb.T0.plusSeconds(10));
            web.podExists = pod -> true;
            web.start();

            CompletableFuture<HttpResponse<String>> read = web.http.sendAsync(web.request("GET", "/api/jobs/old-1",
                    null).header("Authorization", web.auth.bearer()).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).untilTrue(waiting);
            assertEquals(200, web.get("/openapi.json").status(), "the rest of the server answers meanwhile");
            assertFalse(read.isDone(), "the job was answered before the table was loaded");

            web.table.restore(new JobStateRecord.EndedJob("e-1", 1, TestWeb.T0.minusSeconds(60), "old-1", "web",
                    JobStateRecord.Status.SUCCEEDED, 1, "web-1", 12L, null, "http", TestWeb.T0.minusSeconds(61)));
            loaded.countDown();
            TestWeb.Answer a = web.answer(read.get(10, TimeUnit.SECONDS));
            assertEquals(200, a.status(), a::text);
            assertEquals("SUCCEEDED", a.body().path("status").asText(), a::text);
        }
    }
}
