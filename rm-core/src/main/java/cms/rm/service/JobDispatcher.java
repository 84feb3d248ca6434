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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Sends jobs to their pod's load-balancer frontend ({@code POST http://HOST:PORT/JOBPATH} with the
 * payload as body) without blocking the resource manager's thread: each answer becomes a
 * {@link Completion} that the thread collects with {@link #drain()}; {@code wake} tells it one is
 * there. Of an answer's body it keeps at most {@code maxResultBytes}. It outlives the loop's Kafka
 * clients: calls in flight while Kafka is away keep running, and their answers wait to be drained.
 * <p>
 * Per pod, at most its {@link #slots slots} calls run at once (its ONLINE nodes × jobs per node); the jobs
 * handed over beyond that (their RUNNING is committed, a transaction may commit jobs ahead of the free slots)
 * wait here, oldest first, and each is sent the moment a call of its pod ends, without waiting for the next
 * transaction: the workload's slots turn over at the speed of its answers, not of Kafka's commits.
 */
final class JobDispatcher implements AutoCloseable {

    /** The answer of one attempt of one job. */
    record Completion(String jobId, int attempt, Answer answer) {
    }

    private final FrontendCalls http;
    private final ObjectMapper mapper;
    private final String frontendHost;
    private final Duration defaultTimeout;
    private final int maxResultBytes;
    private volatile Runnable wake = () -> { };
    private final ConcurrentLinkedQueue<Completion> done = new ConcurrentLinkedQueue<>();
    /** Every job handed over and not answered: waiting for a slot, or sent (guarded by {@code this}). */
    private final Map<String, Call> calls = new HashMap<>();
    private final Map<String, Lane> lanes = new HashMap<>();

    /** One attempt of a job handed over: sent once {@code future} is set. */
    private static final class Call {
        final String jobId;
        final String pod;
        final int attempt;
        final FrontendCalls.Post request;
        final Duration timeout;
        FrontendCalls.Call sent;
        /** Its slot was freed (guarded by the dispatcher): an answer and a cancel may both come, one counts. */
        boolean finished;

        Call(String jobId, String pod, int attempt, FrontendCalls.Post request, Duration timeout) {
            this.jobId = jobId;
            this.pod = pod;
            this.attempt = attempt;
            this.request = request;
            this.timeout = timeout;
        }
    }

    /** One pod's calls: how many may run at once, how many do, and those waiting, oldest first. */
    private static final class Lane {
        int slots = 1;
        int running;
        final ArrayDeque<Call> waiting = new ArrayDeque<>();
    }

    JobDispatcher(ObjectMapper mapper, String frontendHost, Duration defaultTimeout, int maxResultBytes) {
        this.mapper = mapper;
        this.frontendHost = frontendHost;
        this.defaultTimeout = defaultTimeout;
        this.maxResultBytes = maxResultBytes;
        this.http = new FrontendCalls(maxResultBytes);
    }

    /** What to run when an answer comes in (wakes the loop that drains them). */
    void onAnswer(Runnable wake) {
        this.wake = wake;
    }

    /**
     * How many calls of each pod may run at once; a pod not named keeps its setting. At least one, so that jobs
     * handed over for a pod that lost its nodes are still tried (and come back as "no server") instead of waiting
     * here for ever.
     */
    synchronized void slots(Map<String, Integer> perPod) {
        perPod.forEach((pod, n) -> lanes.computeIfAbsent(pod, p -> new Lane()).slots = Math.max(1, n));
        lanes.keySet().forEach(this::pump);
    }

    /** Hands a job over: sent now if its pod has a free slot, else as soon as one frees. */
    void send(JobBook.Job job, int attempt, int frontendPort, String jobPath) {
        Duration timeout = job.timeoutSeconds() == null ? defaultTimeout : Duration.ofSeconds(job.timeoutSeconds());
        FrontendCalls.Post request;
        try {
            byte[] body = job.payload() == null ? "{}".getBytes(StandardCharsets.UTF_8)
                    : mapper.writeValueAsBytes(job.payload());
            String path = jobPath == null || jobPath.isBlank() ? "/job" : jobPath.startsWith("/") ? jobPath : "/" + jobPath;
            URI.create(path); // a pod's job path that is no URI path fails its job alone (below)
            request = new FrontendCalls.Post(frontendHost, frontendPort, path, Map.of("Content-Type",
                    "application/json", "X-CMS-Job", job.id(), "X-CMS-Attempt", Integer.toString(attempt),
                    JobTimeLimit.HEADER, JobTimeLimit.headerValue(timeout)), body, timeout);
        } catch (IOException | RuntimeException e) {
            // one job that cannot be sent (a pod's bad job path, a payload that cannot be written) fails alone
            done.add(new Completion(job.id(), attempt,
                    new Answer.Undeliverable(e.getMessage() == null ? e.toString() : e.getMessage())));
            wake.run();
            return;
        }
        Call call = new Call(job.id(), job.pod(), attempt, request, timeout);
        synchronized (this) {
            Call before = calls.put(job.id(), call);
            if (before != null) {
                drop(before); // an attempt handed over again (after a reload): the newer one counts
            }
            lanes.computeIfAbsent(job.pod(), p -> new Lane()).waiting.add(call);
            pump(job.pod());
        }
    }

    /** Sends the pod's waiting calls while it has free slots (holding {@code this}). */
    private void pump(String pod) {
        Lane lane = lanes.get(pod);
        while (lane != null && lane.running < lane.slots && !lane.waiting.isEmpty()) {
            Call next = lane.waiting.poll();
            lane.running++;
            call(next);
        }
    }

    /** Sends one call; its answer (if it was not cancelled) becomes a completion, and its slot frees. */
    private void call(Call c) {
        long t0 = System.nanoTime();
        c.sent = http.send(c.request, new FrontendCalls.Done() {
            @Override
            public void answered(HttpAnswer answer) {
                finish(c, answer(answer, (System.nanoTime() - t0) / 1_000_000));
            }

            @Override
            public void failed(IOException error, boolean timedOut) {
                finish(c, timedOut ? new Answer.TimedOut(c.timeout) : failure(error));
            }
        });
    }

    private Answer answer(HttpAnswer response, long millis) {
        String node = response.headers().get(JobAnswers.NODE_HEADER.toLowerCase(java.util.Locale.ROOT));
        if (response.truncated()) {
            return JobAnswers.of(response.status(), node,
                    TextNode.valueOf(new String(response.kept(), StandardCharsets.UTF_8)), millis, response.total());
        }
        return JobAnswers.of(response.status(), node, body(response.kept()), millis);
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

    /** A call that ended without an answer (a cancelled call is not told to the dispatcher at all). */
    private static Answer failure(IOException cause) {
        String what = cause instanceof ConnectException ? "the load balancer refused the connection"
                : "the connection broke: " + cause;
        return new Answer.NodeFailure(what);
    }

    /**
     * The answer is queued before the call leaves {@link #calls}, so a job is always in one or the other; a
     * cancelled call (null answer) reports nothing. Either way its slot frees and the next waiting call goes.
     */
    private void finish(Call c, Answer answer) {
        synchronized (this) {
            if (c.finished) {
                return;
            }
            c.finished = true;
            if (answer != null && calls.get(c.jobId) == c) {
                done.add(new Completion(c.jobId, c.attempt, answer));
            }
            calls.remove(c.jobId, c);
            Lane lane = lanes.get(c.pod);
            lane.running--;
            pump(c.pod);
        }
        if (answer != null) {
            wake.run();
        }
    }

    /** Takes a call out: a waiting one leaves its lane, a sent one is cancelled and its slot frees at once. */
    private void drop(Call c) {
        if (c.sent == null) {
            lanes.get(c.pod).waiting.remove(c);
        } else {
            c.sent.cancel();
            finish(c, null);
        }
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

    /** The jobs handed over and not answered: sent, or waiting for a slot of their pod. */
    synchronized Set<String> inFlight() {
        return Set.copyOf(calls.keySet());
    }

    /** Stops waiting for a job's answer (it was aborted); the workload may still finish its work. */
    synchronized void cancel(String jobId) {
        Call c = calls.remove(jobId);
        if (c != null) {
            drop(c);
        }
    }

    @Override
    public synchronized void close() {
        lanes.values().forEach(l -> l.waiting.clear()); // first, so that no cancelled call frees a slot for one
        List.copyOf(calls.values()).forEach(this::drop);
        calls.clear();
        http.close();
    }
}
