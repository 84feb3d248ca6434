package cms.web;

import cms.core.codec.EventCodec;
import cms.core.codec.JobIntake;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.Ids;
import cms.core.event.JobSubmission;
import cms.core.kafka.BrokerWatch;
import cms.core.model.JobQueueLimit;
import io.javalin.http.HttpResponseException;
import cms.core.model.Names;
import cms.web.jobs.JobSubmitter;
import cms.web.jobs.JobTable;
import cms.web.jobs.JobView;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The job API. {@code POST /api/jobs} checks the request, puts the job on the {@code jobs} topic and
 * answers 202 with its id; the resource manager takes it from there. The id is the client's
 * ({@code jobId} in the body or an {@code Idempotency-Key} header), or a new one: a retried submit with
 * the same id is the same job. Reads come from the job events this service has read; {@code ?wait=S}
 * holds a read until the job ends or S seconds pass.
 */
public final class JobsController {

    static final int MAX_WAIT_SECONDS = 300;
    static final int MAX_LIST = 1000;
    private static final Set<String> STATUSES = Set.of("SUBMITTED", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED",
            "ABORTED");

    private final JobSubmitter submitter;
    private final JobTable table;
    private final Predicate<String> podKnown;
    private final AdminRequestClient admin;
    private final BrokerWatch broker;
    private final EventCodec codec;
    private final Clock clock;
    private final Duration adminTimeout;
    private final int maxPayloadBytes;
    private final int queueLimit;

    /** {@code podKnown}: whether this service has read the pod (the live view's pods) — a quick yes. */
    public JobsController(JobSubmitter submitter, JobTable table, Predicate<String> podKnown, AdminRequestClient admin,
                          BrokerWatch broker, EventCodec codec, Clock clock, Duration adminTimeout,
                          int maxPayloadBytes, int queueLimit) {
        this.submitter = submitter;
        this.broker = broker;
        this.table = table;
        this.podKnown = podKnown;
        this.admin = admin;
        this.codec = codec;
        this.clock = clock;
        this.adminTimeout = adminTimeout;
        this.maxPayloadBytes = maxPayloadBytes;
        this.queueLimit = queueLimit;
    }

    public void submit(Context ctx) {
        JsonBody b = JsonBody.parse(codec.mapper(), ctx.body());
        b.onlyFields(List.of("pod", "payload", "jobId", "timeoutSeconds"));
        String pod = b.requiredString("pod");
        String jobId = jobId(b.string("jobId"), ctx.header("Idempotency-Key"));
        JsonNode payload = b.node("payload");
        int bytes = payload == null ? 0 : payload.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxPayloadBytes) {
            throw JsonBody.bad("payload", bytes + " bytes, over the limit of " + maxPayloadBytes);
        }
        Integer timeout = b.integer("timeoutSeconds");
        if (timeout != null && (timeout < 1 || timeout > 3600)) {
            throw JsonBody.bad("timeoutSeconds", timeout + " is not within 1..3600");
        }
        requirePod(pod);
        int waiting = table.waiting(pod);
        if (waiting >= queueLimit && table.get(jobId).isEmpty()) {
            ctx.header("Retry-After", String.valueOf(BrokerWatch.RETRY_AFTER_SECONDS));
            throw new HttpResponseException(429, "pod '" + pod + "' has " + waiting + " jobs waiting, the limit ("
                    + JobQueueLimit.KEY + "); try again later", Map.of("field", "pod"));
        }
        table.submitted(jobId, pod, clock.instant());
        CompletableFuture<Void> taken;
        try {
            taken = submitter.submit(new JobSubmission.JobSubmitted(Ids.next(), 1, clock.instant(), jobId, pod,
                    payload, timeout));
        } catch (RuntimeException e) {
            table.submitFailed(jobId);
            throw e;
        }
        // the request's thread is free while Kafka takes the record; the answer is written when it has
        ctx.future(() -> taken.whenComplete((ok, error) -> {
            if (error != null) {
                table.submitFailed(jobId); // the failure itself goes on to the exception handlers
            }
        }).thenAccept(ok -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("jobId", jobId);
            out.put("status", table.get(jobId).map(JobView::status).orElse("SUBMITTED"));
            out.put("pod", pod);
            out.put("href", "/api/jobs/" + jobId);
            ctx.status(202).header("Location", "/api/jobs/" + jobId).contentType("application/json")
                    .result(codec.toJson(out));
        }));
    }

    /** The client's id, or one made from its idempotency key, or a new one. */
    private static String jobId(String given, String idempotencyKey) {
        if (given != null) {
            Names.jobIdProblem(given).ifPresent(problem -> {
                throw JsonBody.bad("jobId", problem);
            });
            if (idempotencyKey != null && !idempotencyKey.equals(given)) {
                throw JsonBody.bad("jobId", "differs from the Idempotency-Key header; give one or make them equal");
            }
            return given;
        }
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            return JobIntake.validId(idempotencyKey) ? idempotencyKey : "key-" + sha256(idempotencyKey).substring(0, 40);
        }
        return "job-" + Ids.next();
    }

    /** A pod this service has not seen yet may be new: the resource manager, which owns pods, decides. */
    private void requirePod(String pod) {
        if (podKnown.test(pod)) {
            return;
        }
        AdminReply reply = admin.call(new AdminRequest.GetPod(Ids.next(), 1, clock.instant(), pod), adminTimeout);
        if (reply.status() == 404) {
            throw new NotFoundResponse("pod: '" + pod + "' does not exist", Map.of("field", "pod"));
        }
    }

    public void get(Context ctx) {
        String id = ctx.pathParam("id");
        String waitParam = ctx.queryParam("wait");
        if (waitParam == null) {
            ctx.contentType("application/json").result(codec.toJson(table.get(id)
                    .orElseThrow(() -> unknown(id))));
            return;
        }
        int wait = seconds(waitParam);
        CompletableFuture<JobView> end = table.awaitEnd(id, Duration.ofSeconds(wait)).orElseThrow(() -> unknown(id));
        if (!end.isDone()) {
            broker.require(); // its end would come through Kafka: no use waiting while Kafka is away
        }
        ctx.future(() -> end.thenAccept(job -> ctx.contentType("application/json")
                .result(codec.toJson(job))));
    }

    private static int seconds(String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 0 || value > MAX_WAIT_SECONDS) {
                throw JsonBody.bad("wait", value + " is not within 0.." + MAX_WAIT_SECONDS + " seconds");
            }
            return value;
        } catch (NumberFormatException e) {
            throw JsonBody.bad("wait", "not a whole number of seconds: '" + text + "'");
        }
    }

    public void list(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null) {
            status = status.toUpperCase(java.util.Locale.ROOT);
            if (!STATUSES.contains(status)) {
                throw JsonBody.bad("status", "'" + ctx.queryParam("status") + "' is not one of " + STATUSES);
            }
        }
        int limit = PageQuery.limit(ctx, MAX_LIST);
        String pod = ctx.queryParam("pod");
        List<JobView> jobs = table.list(pod, status, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counts", table.counts(pod));
        out.put("jobs", jobs);
        ctx.contentType("application/json").result(codec.toJson(out));
    }

    public void abort(Context ctx) {
        String id = ctx.pathParam("id");
        String reason = JsonBody.parse(codec.mapper(), ctx.body()).string("reason");
        AdminReply reply = admin.call(new AdminRequest.AbortJob(Ids.next(), 1, clock.instant(), id, reason),
                adminTimeout);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(reply.ok() ? "message" : "error", reply.message());
        if (reply.ok()) {
            out.put("jobId", id);
            out.put("status", "ABORTED");
        }
        ctx.status(reply.status()).contentType("application/json").result(codec.toJson(out));
    }

    private static NotFoundResponse unknown(String id) {
        return new NotFoundResponse("job '" + id + "' is not known (yet): no event of it has been read",
                Map.of("field", "id"));
    }


    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
