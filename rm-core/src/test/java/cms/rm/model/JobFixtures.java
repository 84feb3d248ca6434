package cms.rm.model;

import static cms.rm.model.CloudFixtures.T0;
import static cms.rm.model.CloudFixtures.id;

import cms.core.event.JobEvent;
import cms.core.event.JobSubmission;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Builders for job submissions, and a {@link JobBook} that applies its own decisions as the resource manager does. */
final class JobFixtures {

    /** Small limits, each easy to reach: 2 jobs per node, 4 attempts, 100 ms first back-off, 64-byte payloads, 60 s. */
    static final JobBook.Limits LIMITS = new JobBook.Limits(2, 4, Duration.ofMillis(100), 64, 60, 1000);

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobFixtures() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static JobSubmission.JobSubmitted submitted(String jobId, String pod) {
        return submitted(jobId, pod, null, null);
    }

    static JobSubmission.JobSubmitted submitted(String jobId, String pod, JsonNode payload, Integer timeoutSeconds) {
        return new JobSubmission.JobSubmitted(id(), 1, T0, jobId, pod, payload, timeoutSeconds);
    }

    /**
     * A job book whose decisions are applied at once and recorded in order, the way the resource manager
     * publishes each job event and applies it to its book in the same step.
     */
    static final class Journal {
        final JobBook book;
        final List<JobEvent> events = new ArrayList<>();

        Journal(JobBook.Limits limits) {
            this.book = new JobBook(limits);
        }

        Optional<JobEvent> submit(JobSubmission.JobSubmitted s, int payloadBytes, CloudState cloud, Instant now) {
            return book.submit(s, payloadBytes, "kafka", cloud, now).map(this::record);
        }

        Optional<JobEvent> submit(String jobId, String pod, CloudState cloud, Instant now) {
            return submit(submitted(jobId, pod), 0, cloud, now);
        }

        List<JobEvent> dispatch(CloudState cloud, Instant now) {
            List<JobEvent> out = book.dispatch(cloud, now);
            out.forEach(this::record);
            return out;
        }

        Optional<JobEvent> answered(String jobId, int attempt, JobBook.Answer answer, Instant now) {
            return book.answered(jobId, attempt, answer, now).map(this::record);
        }

        JobEvent abort(String jobId, String reason, Instant now) {
            return record(book.abort(jobId, reason, now));
        }

        List<JobEvent> recover(Set<String> inFlight, Instant now) {
            List<JobEvent> out = book.recover(inFlight, now);
            out.forEach(this::record);
            return out;
        }

        /** Submits the job and dispatches: the job must be among those that now run. */
        JobEvent.JobRunning start(String jobId, String pod, CloudState cloud, Instant now) {
            submit(jobId, pod, cloud, now).orElseThrow();
            return dispatch(cloud, now).stream().filter(e -> e.jobId().equals(jobId))
                    .map(JobEvent.JobRunning.class::cast).findFirst()
                    .orElseThrow(() -> new AssertionError(jobId + " was not dispatched"));
        }

        private <E extends JobEvent> E record(E event) {
            book.apply(event);
            events.add(event);
            return event;
        }
    }
}
