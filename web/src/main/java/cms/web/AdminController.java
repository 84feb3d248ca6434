package cms.web;

import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.Ids;
import cms.core.kafka.BrokerUnreachableException;
import cms.core.kafka.BrokerWatch;
import cms.core.kafka.Liveness;
import cms.core.model.Names;
import cms.core.model.RestartPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin API's handlers: each turns an HTTP request into one {@link AdminRequest}, sends it to the
 * resource manager and maps the reply's status onto the response. Input that cannot even be parsed
 * (a non-numeric bound, broken JSON, a field the route does not have) is refused here with a 400 naming the field.
 * The reply's data is answered in the API's spelling ({@link ApiJson#fromResourceManager}).
 */
public final class AdminController {

    private static final List<String> POD_FIELDS = List.of("name", "workload", "image", "port", "health_path",
            "job_path", "cpu", "memory_mb", "node_limit", "frontend_port", "restart_policy");
    private static final List<String> ELASTICITY_FIELDS = List.of("min", "max", "mode", "metric", "target", "step",
            "scale_out_window_seconds", "scale_in_window_seconds", "scale_out_cooldown_seconds",
            "scale_in_cooldown_seconds");

    private final AdminClient client;
    private final BrokerWatch broker;
    private final Liveness liveness;
    private final ApiJson api;
    private final Clock clock;
    private final Duration timeout;

    /** Without loops of its own to show (tests of the API alone). */
    public AdminController(AdminClient client, BrokerWatch broker, ApiJson api, Clock clock, Duration timeout) {
        this(client, broker, new Liveness(clock), api, clock, timeout);
    }

    /** {@code liveness} holds the loops of this process, which {@code /api/health} shows. */
    public AdminController(AdminClient client, BrokerWatch broker, Liveness liveness, ApiJson api, Clock clock,
                           Duration timeout) {
        this.client = client;
        this.broker = broker;
        this.liveness = liveness;
        this.api = api;
        this.clock = clock;
        this.timeout = timeout;
    }

    private Instant now() {
        return clock.instant();
    }

    /** The request's body, refused (400) when it has a field that is not one of {@code fields}. */
    private JsonBody body(Context ctx, List<String> fields) {
        JsonBody b = JsonBody.parse(api.mapper(), ctx.body());
        b.onlyFields(fields);
        return b;
    }

    public void init(Context ctx) {
        send(ctx, new AdminRequest.InitCloud(Ids.next(), 1, now()));
    }

    public void listPods(Context ctx) {
        PageQuery page = PageQuery.of(ctx);
        sendPage(ctx, new AdminRequest.ListPods(Ids.next(), 1, now(), page.ask(), page.after()), page);
    }

    public void getPod(Context ctx) {
        send(ctx, new AdminRequest.GetPod(Ids.next(), 1, now(), ctx.pathParam("pod")));
    }

    public void registerPod(Context ctx) {
        JsonBody b = body(ctx, POD_FIELDS);
        send(ctx, new AdminRequest.RegisterPod(Ids.next(), 1, now(), b.requiredString("name"), b.string("workload"),
                b.string("image"), b.integer("port"), b.string("health_path"), b.string("job_path"),
                b.decimal("cpu"), b.integer("memory_mb"), b.integer("node_limit"), b.integer("frontend_port"),
                restartPolicy(b.string("restart_policy"))));
    }

    /** {@code always} or {@code never}, refused here with a 400 naming the field (the resource manager checks it too). */
    private static String restartPolicy(String value) {
        if (value != null && RestartPolicy.parse(value.trim()).isEmpty()) {
            throw JsonBody.bad("restart_policy", "'" + value + "' is not one of always, never");
        }
        return value == null ? null : value.trim();
    }

    public void removePod(Context ctx) {
        String force = ctx.queryParam("force");
        if (force != null && !force.equals("true") && !force.equals("false")) {
            throw JsonBody.bad("force", "must be true or false, got '" + force + "'");
        }
        send(ctx, new AdminRequest.RemovePod(Ids.next(), 1, now(), ctx.pathParam("pod"), "true".equals(force)));
    }

    public void pause(Context ctx) {
        send(ctx, new AdminRequest.Pause(Ids.next(), 1, now(), ctx.pathParam("pod")));
    }

    public void resume(Context ctx) {
        send(ctx, new AdminRequest.Resume(Ids.next(), 1, now(), ctx.pathParam("pod")));
    }

    public void listNodes(Context ctx) {
        listNodes(ctx, PathNames.optionalPod(ctx));
    }

    public void listPodNodes(Context ctx) {
        listNodes(ctx, ctx.pathParam("pod"));
    }

    private void listNodes(Context ctx, String pod) {
        PageQuery page = PageQuery.of(ctx);
        sendPage(ctx, new AdminRequest.ListNodes(Ids.next(), 1, now(), pod, page.ask(), page.after()), page);
    }

    public void registerNode(Context ctx) {
        send(ctx, new AdminRequest.RegisterNode(Ids.next(), 1, now(), ctx.pathParam("pod"),
                body(ctx, List.of("name")).requiredString("name")));
    }

    public void removeNode(Context ctx) {
        send(ctx, new AdminRequest.RemoveNode(Ids.next(), 1, now(), ctx.pathParam("pod"), ctx.pathParam("node")));
    }

    public void launch(Context ctx) {
        send(ctx, new AdminRequest.Launch(Ids.next(), 1, now(), ctx.pathParam("pod")));
    }

    public void enableElasticity(Context ctx) {
        JsonBody b = body(ctx, ELASTICITY_FIELDS);
        send(ctx, new AdminRequest.EnableElasticity(Ids.next(), 1, now(), ctx.pathParam("pod"),
                b.requiredInteger("min"), b.requiredInteger("max"), b.string("mode"), b.string("metric"),
                b.decimal("target"), b.string("step"), b.integer("scale_out_window_seconds"),
                b.integer("scale_in_window_seconds"), b.integer("scale_out_cooldown_seconds"),
                b.integer("scale_in_cooldown_seconds")));
    }

    public void disableElasticity(Context ctx) {
        send(ctx, new AdminRequest.DisableElasticity(Ids.next(), 1, now(), ctx.pathParam("pod")));
    }

    public void lowerThreshold(Context ctx) {
        threshold(ctx, AdminRequest.Threshold.LOWER);
    }

    public void upperThreshold(Context ctx) {
        threshold(ctx, AdminRequest.Threshold.UPPER);
    }

    private void threshold(Context ctx, AdminRequest.Threshold which) {
        double value = body(ctx, List.of("value")).requiredDecimal("value");
        send(ctx, new AdminRequest.SetThreshold(Ids.next(), 1, now(), ctx.pathParam("pod"), which, value));
    }

    /**
     * Every host the resource manager knows, READY, LEFT or LOST, with whether it takes new nodes, in id order: a
     * page of them, cut here (the resource manager answers them all, a few hundred at most).
     */
    public void listHosts(Context ctx) {
        PageQuery page = PageQuery.of(ctx, AdminRequest.PAGE_MAX, Names::hostIdProblem);
        AdminReply reply = client.call(new AdminRequest.ListHosts(Ids.next(), 1, now()), timeout);
        if (!reply.ok()) {
            AdminReplies.answer(ctx, api, reply, null, null);
            return;
        }
        List<JsonNode> hosts = new ArrayList<>();
        api.fromResourceManager(reply.body()).forEach(hosts::add);
        PageQuery.Slice<JsonNode> slice = page.sorted(hosts, h -> h.path("host_id").asText());
        AdminReplies.answer(ctx, api, reply, api.mapper().valueToTree(slice.items()), slice.next());
    }

    public void cordonHost(Context ctx) {
        send(ctx, new AdminRequest.CordonHost(Ids.next(), 1, now(), ctx.pathParam("host")));
    }

    public void uncordonHost(Context ctx) {
        send(ctx, new AdminRequest.UncordonHost(Ids.next(), 1, now(), ctx.pathParam("host")));
    }

    public void drainHost(Context ctx) {
        send(ctx, new AdminRequest.DrainHost(Ids.next(), 1, now(), ctx.pathParam("host")));
    }

    /**
     * Health of this process's loops, of Kafka and of the path to the resource manager ({@link HealthReport}):
     * at once, without asking the resource manager, while a loop or Kafka is known to be down.
     */
    public void health(Context ctx) {
        HealthReport.Answer a = HealthReport.of(liveness.loops(), liveness::up, liveness.clock().instant(),
                broker.status(), this::resourceManagerAnswers);
        if (a.retryLater()) {
            ctx.header("Retry-After", String.valueOf(BrokerWatch.RETRY_AFTER_SECONDS));
        }
        ctx.status(a.status()).contentType("application/json").result(api.write(a.body()));
    }

    private boolean resourceManagerAnswers() {
        try {
            client.call(new AdminRequest.ListPods(Ids.next(), 1, now(), 1, null), Duration.ofMillis(Math.min(2000,
                    timeout.toMillis())));
            return true;
        } catch (ResourceManagerUnavailableException | BrokerUnreachableException e) {
            return false;
        }
    }

    private void send(Context ctx, AdminRequest request) {
        AdminReply reply = client.call(request, timeout);
        AdminReplies.answer(ctx, api, reply, reply.body(), null);
    }

    /** A list: one page of it in {@code data}, and {@code next} when there is more. */
    private void sendPage(Context ctx, AdminRequest request, PageQuery page) {
        AdminReply reply = client.call(request, timeout);
        PageQuery.Answer answer = page.answer(reply);
        AdminReplies.answer(ctx, api, reply, answer.items(), answer.next());
    }
}
