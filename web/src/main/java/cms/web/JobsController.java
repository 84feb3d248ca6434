package cms.web;

import cms.core.codec.JobIntake;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.Ids;
import cms.core.event.JobSubmission;
import cms.core.kafka.BrokerWatch;
import cms.core.model.JobQueueLimit;
import cms.core.model.Names;
import cms.core.model.Refusal;
import cms.web.jobs.JobSubmitter;
import cms.web.jobs.JobTable;
import cms.web.jobs.JobView;
import cms.web.jobs.TableOpening;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
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

/**
 * The job API. {@code POST /api/jobs} checks the request, puts the job on the {@code jobs} topic and
 * answers 202 with its id; the resource manager takes it from there. The id is the client's
 * ({@code job_id} in the body or an {@code Idempotency-Key} header), or a new one: a retried submit with
 * the same id is the same job. Reads come from the job events this service has read; {@code ?wait=S}
 * holds a read until the job ends or S seconds pass. The list pages newest first ({@code limit}, {@code after}
 * a job id, {@code next}).
 */
public final class JobsController {

    static final int MAX_WAIT_SECONDS = 300;
    static final int MAX_LIST = 1000;
    private static final Set<String> STATUSES = Set.of("SUBMITTED", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED",
            "ABORTED");

    private static final List<String> SUBMIT_FIELDS = List.of("pod", "payload", "job_id", "timeout_seconds");

    private final JobSubmitter submitter;
    private final JobTable table;
    private final PodLookup pods;
    private final AdminClient admin;
    private final BrokerWatch broker;
    private final ApiJson api;
    private final Clock clock;
    private final Duration adminTimeout;
    private final int maxPayloadBytes;
    private final int queueLimit;
    private final TableOpening opening;

    /**
     * {@code pods}: whether a job's pod exists; {@code opening}: what the job API waits for after a start (the table
     * loaded), so that it never answers from a table still loading.
     */
    public JobsController(JobSubmitter submitter, JobTable table, PodLookup pods, AdminClient admin,
                          BrokerWatch broker, ApiJson api, Clock clock, Duration adminTimeout,
                          int maxPayloadBytes, int queueLimit, TableOpening opening) {
        this.submitter = submitter;
        this.broker = broker;
        this.table = table;
        this.pods = pods;
        this.admin = admin;
        this.api = api;
        this.clock = clock;
        this.adminTimeout = adminTimeout;
        this.maxPayloadBytes = maxPayloadBytes;
        this.queueLimit = queueLimit;
        this.opening = opening;
    }

    public void submit(Context ctx) {
        opening.await();
        JsonBody b = JsonBody.parse(api.mapper(), ctx.body());
        b.onlyFields(SUBMIT_FIELDS);
        String pod = b.requiredString("pod");
        String jobId = jobId(b.string("job_id"), ctx.header("Idempotency-Key"));
        JsonNode payload = b.node("payload");
        int bytes = payload == null ? 0 : payload.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxPayloadBytes) {
            throw JsonBody.bad("payload", bytes + " bytes, over the limit of " + maxPayloadBytes);
        }
        Integer timeout = b.integer("timeout_seconds");
        if (timeout != null && (timeout < 1 || timeout > 3600)) {
            throw JsonBody.bad("timeout_seconds", timeout + " is not within 1..3600");
        }
        if (!pods.exists(pod)) {
            throw ApiErrors.refuse(Refusal.unknownPod(pod));
        }
        int waiting = table.waiting(pod);
        if (waiting >= queueLimit && table.get(jobId).isEmpty()) {
            ctx.header("Retry-After", String.valueOf(BrokerWatch.RETRY_AFTER_SECONDS));
            throw ApiErrors.refuse(new Refusal(429, "pod", "pod '" + pod + "' has " + waiting + " jobs waiting, the "
                    + "limit (" + JobQueueLimit.KEY + "); try again later"));
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
            out.put("job_id", jobId);
            out.put("status", table.get(jobId).map(JobView::status).orElse("SUBMITTED"));
            out.put("pod", pod);
            out.put("href", "/api/jobs/" + jobId);
            ctx.status(202).header("Location", "/api/jobs/" + jobId).contentType("application/json")
                    .result(api.write(out));
        }));
    }

    /** The client's id, or one made from its idempotency key, or a new one. */
    private static String jobId(String given, String idempotencyKey) {
        if (given != null) {
            Names.jobIdProblem(given).ifPresent(problem -> {
                throw JsonBody.bad("job_id", problem);
            });
            if (idempotencyKey != null && !idempotencyKey.equals(given)) {
                throw JsonBody.bad("job_id", "differs from the Idempotency-Key header; give one or make them equal");
            }
            return given;
        }
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            return JobIntake.validId(idempotencyKey) ? idempotencyKey : "key-" + sha256(idempotencyKey).substring(0, 40);
        }
        return "job-" + Ids.next();
    }

    public void get(Context ctx) {
        opening.await();
        String id = ctx.pathParam("id");
        String waitParam = ctx.queryParam("wait");
        if (waitParam == null) {
            ctx.contentType("application/json").result(api.write(table.get(id)
                    .orElseThrow(() -> unknown(id))));
            return;
        }
        int wait = seconds(waitParam);
        CompletableFuture<JobView> end = table.awaitEnd(id, Duration.ofSeconds(wait)).orElseThrow(() -> unknown(id));
        if (!end.isDone()) {
            broker.require(); // its end would come through Kafka: no use waiting while Kafka is away
        }
        ctx.future(() -> end.thenAccept(job -> ctx.contentType("application/json")
                .result(api.write(job))));
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
        opening.await();
        String status = ctx.queryParam("status");
        if (status != null) {
            status = status.toUpperCase(java.util.Locale.ROOT);
            if (!STATUSES.contains(status)) {
                throw JsonBody.bad("status", "'" + ctx.queryParam("status") + "' is not one of " + STATUSES);
            }
        }
        PageQuery page = PageQuery.of(ctx, MAX_LIST, Names::jobIdProblem);
        String pod = ctx.queryParam("pod");
        // one more than a page: whether there is a next one
        List<JobView> fetched = table.page(pod, status, page.after(), page.limit() + 1)
                .orElseThrow(() -> ApiErrors.refuse(Refusal.unlistedAfter("job", page.after())));
        PageQuery.Slice<JobView> jobs = page.slice(fetched, JobView::jobId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counts", table.counts(pod));
        out.put("jobs", jobs.items());
        if (jobs.next() != null) {
            out.put("next", jobs.next());
        }
        ctx.contentType("application/json").result(api.write(out));
    }

    public void abort(Context ctx) {
        String id = ctx.pathParam("id");
        JsonBody b = JsonBody.parse(api.mapper(), ctx.body());
        b.onlyFields(List.of("reason"));
        AdminReply reply = admin.call(new AdminRequest.AbortJob(Ids.next(), 1, clock.instant(), id,
                b.string("reason")), adminTimeout);
        AdminReplies.answer(ctx, api, reply, reply.body(), null);
    }

    private static HttpResponseException unknown(String id) {
        return ApiErrors.refuse(Refusal.unknownJob("id", id));
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
