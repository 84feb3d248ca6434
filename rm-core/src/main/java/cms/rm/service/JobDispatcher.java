package cms.rm.service;

import cms.core.config.NetAddress;
import cms.core.model.JobTimeLimit;
import cms.rm.model.JobAnswers;
import cms.rm.model.JobBook;
import cms.rm.model.JobBook.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends jobs to their pod's load-balancer frontend ({@code POST http://HOST:PORT/JOBPATH} with the
 * payload as body) without blocking the resource manager's thread: each answer becomes a
 * {@link Completion} that the thread collects with {@link #drain()}; {@code wake} tells it one is
 * there. Of an answer's body it keeps at most {@code maxResultBytes}. It outlives the loop's Kafka
 * clients: calls in flight while Kafka is away keep running, and their answers wait to be drained.
 */
final class JobDispatcher implements AutoCloseable {

    /** The answer of one attempt of one job. */
    record Completion(String jobId, int attempt, Answer answer) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper mapper;
    private final String frontendHost;
    private final Duration defaultTimeout;
    private final int maxResultBytes;
    private volatile Runnable wake = () -> { };
    private final ConcurrentLinkedQueue<Completion> done = new ConcurrentLinkedQueue<>();
    private final Map<String, CompletableFuture<?>> inFlight = new ConcurrentHashMap<>();

    JobDispatcher(ObjectMapper mapper, String frontendHost, Duration defaultTimeout, int maxResultBytes) {
        this.mapper = mapper;
        this.frontendHost = frontendHost;
        this.defaultTimeout = defaultTimeout;
        this.maxResultBytes = maxResultBytes;
    }

    /** What to run when an answer comes in (wakes the loop that drains them). */
    void onAnswer(Runnable wake) {
        this.wake = wake;
    }

    void send(JobBook.Job job, int attempt, int frontendPort, String jobPath) {
        Duration timeout = job.timeoutSeconds() == null ? defaultTimeout : Duration.ofSeconds(job.timeoutSeconds());
        HttpRequest request;
        try {
            byte[] body = job.payload() == null ? "{}".getBytes(StandardCharsets.UTF_8)
                    : mapper.writeValueAsBytes(job.payload());
            String path = jobPath == null || jobPath.isBlank() ? "/job" : jobPath.startsWith("/") ? jobPath : "/" + jobPath;
            request = HttpRequest.newBuilder(URI.create("http://" + NetAddress.forUrl(frontendHost) + ":" + frontendPort + path))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("X-CMS-Job", job.id())
                    .header("X-CMS-Attempt", Integer.toString(attempt))
                    .header(JobTimeLimit.HEADER, JobTimeLimit.headerValue(timeout))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IOException | RuntimeException e) {
            // one job that cannot be sent (a pod's bad job path, a payload that cannot be written) fails alone
            finish(job.id(), attempt, new Answer.Undeliverable(e.getMessage() == null ? e.toString() : e.getMessage()));
            return;
        }
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<BoundedBody.Body>> call = http.sendAsync(request,
                BoundedBody.handler(maxResultBytes));
        inFlight.put(job.id(), call);
        call.whenComplete((response, error) -> {
            long millis = (System.nanoTime() - t0) / 1_000_000;
            Answer answer = error == null ? answer(response, millis) : failure(error, timeout);
            if (answer != null) {
                finish(job.id(), attempt, answer);
            } else {
                inFlight.remove(job.id(), call);
            }
        });
    }

    private Answer answer(HttpResponse<BoundedBody.Body> response, long millis) {
        String node = response.headers().firstValue(JobAnswers.NODE_HEADER).orElse(null);
        BoundedBody.Body body = response.body();
        if (body.truncated()) {
            return JobAnswers.of(response.statusCode(), node,
                    TextNode.valueOf(new String(body.kept(), StandardCharsets.UTF_8)), millis, body.total());
        }
        return JobAnswers.of(response.statusCode(), node, body(body.kept()), millis);
    }

    private JsonNode body(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** Null for a call that was cancelled (the job was aborted): nothing to report. */
    private static Answer failure(Throwable error, Duration timeout) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException) {
            return null;
        }
        if (cause instanceof HttpTimeoutException && !(cause instanceof java.net.http.HttpConnectTimeoutException)) {
            return new Answer.TimedOut(timeout);
        }
        String what = cause instanceof ConnectException ? "the load balancer refused the connection"
                : "the connection broke: " + cause;
        return new Answer.NodeFailure(what);
    }

    /** The answer is queued before the call leaves {@link #inFlight}, so a job is always in one or the other. */
    private void finish(String jobId, int attempt, Answer answer) {
        done.add(new Completion(jobId, attempt, answer));
        inFlight.remove(jobId);
        wake.run();
    }

    boolean hasAnswers() {
        return !done.isEmpty();
    }

    /** The answers that came in since the last call. */
    List<Completion> drain() {
        List<Completion> out = new ArrayList<>();
        for (Completion c; (c = done.poll()) != null; ) {
            out.add(c);
        }
        return out;
    }

    Set<String> inFlight() {
        return Set.copyOf(inFlight.keySet());
    }

    /** Stops waiting for a job's answer (it was aborted); the workload may still finish its work. */
    void cancel(String jobId) {
        CompletableFuture<?> call = inFlight.remove(jobId);
        if (call != null) {
            call.cancel(true);
        }
    }

    @Override
    public void close() {
        inFlight.values().forEach(f -> f.cancel(true));
        inFlight.clear();
    }
}
