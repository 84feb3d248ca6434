package cms.web;

import cms.core.auth.Role;
import cms.core.auth.TokenBook;
import cms.core.auth.TokenSecret;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.Ids;
import cms.rm.model.TokenDecisions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /api/tokens} and {@code /api/whoami}. A new token's secret is made here (32 random bytes) and shown
 * once, in the answer to its creation; the resource manager stores only its SHA-256 on {@code tokens}. The
 * answer waits until this service's own copy of the topic holds the change, so the token works (or, revoked,
 * is refused) from the caller's next request on.
 */
public final class TokensController {

    /** The longest a token may live when it is given a lifetime: ten years. */
    static final long MAX_TTL_SECONDS = 10L * 366 * 24 * 3600;

    /** Waits until {@code seen} holds or {@code timeout} passed; true when it holds. */
    public interface Awaiter {
        boolean await(BooleanSupplier seen, Duration timeout) throws InterruptedException;
    }

    private final AdminClient client;
    private final TokenBook book;
    private final Awaiter awaiter;
    private final ApiJson api;
    private final Clock clock;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    public TokensController(AdminClient client, TokenBook book, Awaiter awaiter, ApiJson api, Clock clock,
                            Duration timeout) {
        this.client = client;
        this.book = book;
        this.awaiter = awaiter;
        this.api = api;
        this.clock = clock;
        this.timeout = timeout;
    }

    /** {@code POST /api/tokens} {"name", "role", "ttl_seconds"?}: 201 with the token's text, shown this once. */
    public void create(Context ctx) throws InterruptedException {
        JsonBody body = JsonBody.parse(api.mapper(), ctx.body());
        body.onlyFields(List.of("name", "role", "ttl_seconds"));
        String name = body.requiredString("name");
        String roleText = body.requiredString("role");
        Role role = Role.parse(roleText).orElseThrow(() -> JsonBody.bad("role", "'" + roleText + "' is not one of "
                + Role.choices()));
        Integer ttl = body.integer("ttl_seconds");
        if (ttl != null && (ttl < 60 || ttl > MAX_TTL_SECONDS)) {
            throw JsonBody.bad("ttl_seconds", "must be from 60 to " + MAX_TTL_SECONDS + " seconds, not " + ttl);
        }
        Instant now = clock.instant();
        issue(ctx, secret -> new AdminRequest.CreateToken(Ids.next(), 1, now, secret.id(), name, role.wire(),
                secret.hash(), ttl == null ? null : now.plusSeconds(ttl), principal(ctx)),
                secret -> book.get(secret.id()).isPresent());
    }

    /**
     * {@code POST /api/hosts/{host}/join-token} {"ttl_seconds"?} (default and most 900): a join token for that host,
     * its text in the answer, once; the host's daemon presents it ({@code CMS_JOIN_TOKEN}) when it first joins.
     */
    public void joinToken(Context ctx) throws InterruptedException {
        JsonBody body = JsonBody.parse(api.mapper(), ctx.body());
        body.onlyFields(List.of("ttl_seconds"));
        Integer ttl = body.integer("ttl_seconds");
        long max = TokenDecisions.MAX_JOIN_TTL.toSeconds();
        if (ttl != null && (ttl < 1 || ttl > max)) {
            throw JsonBody.bad("ttl_seconds", "must be from 1 to " + max + " seconds, not " + ttl);
        }
        Instant now = clock.instant();
        // join tokens open no API: the answer need not wait for this service's copy of the topic
        issue(ctx, secret -> new AdminRequest.CreateJoinToken(Ids.next(), 1, now, secret.id(), ctx.pathParam("host"),
                secret.hash(), now.plusSeconds(ttl == null ? max : ttl), principal(ctx)), secret -> true);
    }

    /**
     * Makes a secret, sends the request {@code request} makes of it, and answers with the reply and, when it was
     * taken, the secret's text (shown this once, never cached), once {@code seen} holds in this service's copy of
     * the tokens (or after the admin timeout).
     */
    private void issue(Context ctx, java.util.function.Function<TokenSecret, AdminRequest> request,
                       java.util.function.Predicate<TokenSecret> seen) throws InterruptedException {
        TokenSecret secret = TokenSecret.issue(random);
        AdminReply reply = client.call(request.apply(secret), timeout);
        ObjectNode data = null;
        if (reply.ok()) {
            awaiter.await(() -> seen.test(secret), timeout);
            data = (ObjectNode) api.fromResourceManager(reply.body());
            data.put("token", secret.text());
        }
        ctx.header("Cache-Control", "no-store");
        AdminReplies.answer(ctx, api, reply, data, null);
    }

    /**
     * {@code GET /api/tokens}: every token (id, name, role, times, who made it), never a secret or hash; a page of
     * them in id order.
     */
    public void list(Context ctx) {
        PageQuery page = PageQuery.of(ctx, AdminRequest.PAGE_MAX, TokenSecret::idProblem);
        List<Map<String, Object>> tokens = book.list().stream().map(TokenDecisions::describe)
                .sorted(java.util.Comparator.comparing(t -> (String) t.get("id"))).toList();
        PageQuery.Slice<Map<String, Object>> slice = page.sorted(tokens, t -> (String) t.get("id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", tokens.size() + " token(s)");
        out.put("data", slice.items());
        if (slice.next() != null) {
            out.put("next", slice.next());
        }
        ctx.contentType("application/json").result(api.write(out));
    }

    /** {@code DELETE /api/tokens/{token}}: refused from the caller's next request on. */
    public void revoke(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("token");
        AdminReply reply = client.call(new AdminRequest.RevokeToken(Ids.next(), 1, clock.instant(), id, principal(ctx)),
                timeout);
        if (reply.ok()) {
            awaiter.await(() -> book.get(id).isEmpty(), timeout);
        }
        AdminReplies.answer(ctx, api, reply, reply.body(), null);
    }

    /** {@code GET /api/whoami}: the caller's token id, name and role. */
    public void whoami(Context ctx) {
        TokenBook.Principal p = ctx.attribute(WebServer.PRINCIPAL);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", p == null ? null : p.tokenId());
        data.put("name", p == null ? null : p.name());
        data.put("role", p == null ? null : p.role().wire());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", p == null ? "anonymous" : p.name() + " (" + p.role().wire() + ")");
        out.put("data", data);
        ctx.contentType("application/json").result(api.write(out));
    }

    private static String principal(Context ctx) {
        TokenBook.Principal p = ctx.attribute(WebServer.PRINCIPAL);
        return p == null ? null : p.tokenId();
    }
}
