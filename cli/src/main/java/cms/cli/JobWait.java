package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code cloud job wait ID} and {@code job submit --wait}: until the job ends or the time is up, following the live
 * stream of its pod's job events, then the job as the API has it (printed, and the exit code from its status).
 *
 * <p>The stream is opened once the job's pod is known (a first look at the job) and the job looked at again once the
 * stream is open, so an end in between is not missed; then nothing is asked of the API until the event that ends the
 * job comes, or the time is up. The last answer is a long-poll of the API's own ({@code ?wait=S}: it returns as soon
 * as the job table has the end, which may trail the stream by a moment); it is also what the client falls back on for
 * the rest of the time when the stream cannot be had or ends early (a web service too old for it, or restarting).
 */
final class JobWait {

    /** The longest long-poll the API takes ({@code cms.web.JobsController}'s limit is above it). */
    private static final int LONG_POLL_SECONDS = 25;
    private static final Duration GREETING = Duration.ofSeconds(5);
    /** How long the last answer may wait for the API's job table once the stream said the job ended. */
    private static final Duration AFTER_THE_END = Duration.ofSeconds(5);

    private final CloudCommand cloud;
    private final String id;
    private final String path;

    JobWait(CloudCommand cloud, String id) {
        this.cloud = cloud;
        this.id = id;
        this.path = "/api/jobs/" + ApiClient.segment(id);
    }

    /** Waits at most {@code seconds}; prints the job; 0 SUCCEEDED, 1 FAILED or ABORTED, 4 not ended, 3 unreachable. */
    int await(int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try {
            if (followStream(deadline)) {
                // the stream saw the end: the API's job table has it at once or a moment later
                deadline = Math.max(deadline, System.nanoTime() + AFTER_THE_END.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CloudCommand.UNAVAILABLE;
        }
        return longPoll(seconds, deadline);
    }

    /**
     * Returns when it is time for the last answer: the job has ended (true when the stream said so), the time is up,
     * or the stream is of no use.
     */
    private boolean followStream(long deadline) throws InterruptedException {
        ApiClient api = cloud.api();
        Optional<JsonNode> job = look(api);
        if (job.isEmpty() || ended(job.get())) {
            return false;
        }
        // what the stream says: true, the job ended; false, the stream did (the reading thread puts either once)
        BlockingQueue<Boolean> said = new LinkedBlockingQueue<>();
        String url = StreamEvents.url(api.baseUrl(), "jobs", job.get().path("pod").asText());
        try (StreamClient stream = new StreamClient(url, api.token(), null, e -> {
            boolean ends = StreamEvents.endsJob(e.data(), id);
            if (ends) {
                said.add(true);
            }
            return !ends; // no more events wanted once it ended: the reading thread closes the stream at once
        }, () -> said.add(false))) {
            if (!stream.awaitGreeting(GREETING)) {
                return false;
            }
            Optional<JsonNode> again = look(api);
            if (again.isEmpty() || ended(again.get())) {
                return false;
            }
            Boolean ended = said.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return Boolean.TRUE.equals(ended); // null: the time is up; false: the stream ended first
        } catch (IOException e) {
            return false; // no stream here: the long-poll waits instead
        }
    }

    /** The job as the API has it now, when it answers so; empty otherwise (the last answer will say why). */
    private Optional<JsonNode> look(ApiClient api) {
        try {
            ApiClient.Response r = api.get(path);
            return r.ok() ? Optional.of(r.body().has("data") ? r.data() : r.body()) : Optional.empty();
        } catch (ApiClient.UnreachableException e) {
            return Optional.empty();
        }
    }

    /** Asks with long waits until the job ends or the deadline passes (one ask at least); prints the job. */
    private int longPoll(int seconds, long deadline) {
        JsonNode[] last = new JsonNode[1];
        int code;
        do {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000L);
            long chunk = Math.min(left, LONG_POLL_SECONDS);
            code = cloud.execute(api -> {
                ApiClient.Response r = api.get(path + "?wait=" + chunk);
                last[0] = r.body().has("data") ? r.data() : r.body(); // the job, --json or not
                return r;
            }, (out, job) -> { }); // shown once, below
            if (code != 0) {
                return code;
            }
        } while (!ended(last[0]) && System.nanoTime() < deadline);
        if (!cloud.json) {
            JobCommands.show(cloud.out, last[0]);
        }
        if (!ended(last[0])) {
            cloud.err.println("cloud: job " + id + " has not ended within " + seconds + " s (it is "
                    + last[0].path("status").asText() + ")");
            return JobCommands.NOT_ENDED;
        }
        return "SUCCEEDED".equals(last[0].path("status").asText()) ? 0 : CloudCommand.REFUSED;
    }

    static boolean ended(JsonNode job) {
        String s = job == null ? "" : job.path("status").asText();
        return s.equals("SUCCEEDED") || s.equals("FAILED") || s.equals("ABORTED");
    }
}
