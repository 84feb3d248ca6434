package cms.rm.service;

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
 * there.
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
    private final Runnable wake;
    private final ConcurrentLinkedQueue<Completion> done = new ConcurrentLinkedQueue<>();
    private final Map<String, CompletableFuture<?>> inFlight = new ConcurrentHashMap<>();

    JobDispatcher(ObjectMapper mapper, String frontendHost, Duration defaultTimeout, Runnable wake) {
        this.mapper = mapper;
        this.frontendHost = frontendHost;
        this.defaultTimeout = defaultTimeout;
        this.wake = wake;
    }

    void send(JobBook.Job job, int attempt, int frontendPort, String jobPath) {
        Duration timeout = job.timeoutSeconds() == null ? defaultTimeout : Duration.ofSeconds(job.timeoutSeconds());
        byte[] body;
        try {
            body = job.payload() == null ? "{}".getBytes(StandardCharsets.UTF_8) : mapper.writeValueAsBytes(job.payload());
        } catch (IOException e) {
            finish(job.id(), attempt, new Answer.Refused(null, 0, "payload cannot be written: " + e.getMessage()));
            return;
        }
        String path = jobPath == null || jobPath.isBlank() ? "/job" : jobPath.startsWith("/") ? jobPath : "/" + jobPath;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + frontendHost + ":" + frontendPort + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-CMS-Job", job.id())
                .header("X-CMS-Attempt", Integer.toString(attempt))
                .header(JobTimeLimit.HEADER, JobTimeLimit.headerValue(timeout))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
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

    private Answer answer(HttpResponse<byte[]> response, long millis) {
        String node = response.headers().firstValue(JobAnswers.NODE_HEADER).orElse(null);
        return JobAnswers.of(response.statusCode(), node, body(response.body()), millis);
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

    private void finish(String jobId, int attempt, Answer answer) {
        inFlight.remove(jobId);
        done.add(new Completion(jobId, attempt, answer));
        wake.run();
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
