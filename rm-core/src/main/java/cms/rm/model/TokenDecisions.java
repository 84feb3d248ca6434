package cms.rm.model;

import cms.core.auth.Role;
import cms.core.auth.TokenBook;
import cms.core.auth.TokenSecret;
import cms.core.event.AdminRequest;
import cms.core.event.Ids;
import cms.core.event.TokenRecord;
import cms.core.model.Refusal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the resource manager does with token requests: checks them, and says which record goes on the
 * {@code tokens} topic (a token, or a tombstone) and what the web service is told. The resource manager is the
 * topic's only writer; the web service made the secret and keeps it to itself (only its SHA-256 arrives here).
 */
public final class TokenDecisions {

    /** Who a token is for: a person, a program, a pipeline (letters, digits, {@code . _ @ -}, up to 64). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    /** The name of the token an install starts with ({@code CMS_RM_ADMIN_TOKEN_FILE}). */
    public static final String BOOTSTRAP_NAME = "bootstrap-admin";

    private TokenDecisions() {
    }

    /** The record to write ({@code put}, or the key of a {@code tombstone}), none on a refusal, and the reply. */
    public record Result(TokenRecord.ApiToken put, String tombstone, Outcome.Reply reply) {
        static Result refused(Rejection r) {
            return new Result(null, null, Outcome.Reply.rejected(r));
        }
    }

    public static Result create(TokenBook book, AdminRequest.CreateToken r, Instant now) {
        Optional<Rejection> secret = idAndHashProblem(r.id(), r.hash());
        if (secret.isPresent()) {
            return Result.refused(secret.get());
        }
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            return Result.refused(Rejection.badField("name", "'" + r.name() + "' is not a token name (letters, "
                    + "digits, . _ @ -, up to 64, starting with a letter or digit)"));
        }
        if (Role.parse(r.role()).isEmpty()) {
            return Result.refused(Rejection.badField("role", "'" + r.role() + "' is not one of " + Role.choices()));
        }
        if (r.expiresAt() != null && !r.expiresAt().isAfter(now)) {
            return Result.refused(Rejection.badField("expires_at", "must be in the future, not " + r.expiresAt()));
        }
        if (book.get(r.id()).isPresent()) {
            return Result.refused(Rejection.conflict("token " + r.id() + " exists already"));
        }
        String role = Role.parse(r.role()).orElseThrow().wire();
        TokenRecord.ApiToken token = new TokenRecord.ApiToken(Ids.next(), 1, now, r.id(), r.name(), role, r.hash(),
                r.expiresAt(), r.createdBy());
        return new Result(token, null, new Outcome.Reply(201, null, "token " + r.id() + " (" + r.name() + ", "
                + role + ") created", describe(token)));
    }

    /** The longest a join token may live (Nomad's introduction tokens are as short). */
    public static final java.time.Duration MAX_JOIN_TTL = java.time.Duration.ofMinutes(15);

    /** The join token record to write, keyed {@code join:<id>}, or the refusal. */
    public record JoinResult(TokenRecord.JoinToken put, Outcome.Reply reply) {
    }

    public static JoinResult createJoin(AdminRequest.CreateJoinToken r, Instant now) {
        boolean lifetime = r.expiresAt() != null && r.expiresAt().isAfter(now)
                && !r.expiresAt().isAfter(now.plus(MAX_JOIN_TTL));
        Optional<Rejection> problem = idAndHashProblem(r.id(), r.hash())
                .or(() -> cms.core.model.Names.hostIdProblem(r.hostId()).map(p -> Rejection.badField("host", p)))
                .or(() -> lifetime ? Optional.empty() : Optional.of(Rejection.badField("ttl_seconds",
                        "a join token lives from 1 s to " + MAX_JOIN_TTL.toMinutes() + " minutes")));
        if (problem.isPresent()) {
            return new JoinResult(null, Outcome.Reply.rejected(problem.get()));
        }
        TokenRecord.JoinToken token = new TokenRecord.JoinToken(Ids.next(), 1, now, r.id(), r.hostId(), r.hash(),
                r.expiresAt(), r.createdBy());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", token.id());
        body.put("host", token.hostId());
        body.put("expires_at", token.expiresAt().toString());
        return new JoinResult(token, new Outcome.Reply(201, null, "join token " + token.id() + " for host "
                + token.hostId() + ", valid until " + token.expiresAt(), body));
    }

    public static Result revoke(TokenBook book, AdminRequest.RevokeToken r) {
        if (TokenSecret.idProblem(r.id()).isPresent()) {
            return Result.refused(Rejection.badField("token", TokenSecret.idProblem(r.id()).get()));
        }
        Optional<TokenRecord.ApiToken> token = book.get(r.id());
        if (token.isEmpty()) {
            return Result.refused(Rejection.of(Refusal.unknownToken(r.id())));
        }
        return new Result(null, r.id(), Outcome.Reply.of(200, "token " + r.id() + " (" + token.get().name()
                + ") revoked", describe(token.get())));
    }

    /**
     * The install's first admin token, when the book does not hold it as it is ({@code admin} from
     * {@code CMS_RM_ADMIN_TOKEN_FILE}): written at each start of the resource manager, so the token in that file
     * always works, also after the topic was lost.
     */
    public static Optional<TokenRecord.ApiToken> bootstrap(TokenBook book, TokenSecret admin, Instant now) {
        Optional<TokenRecord.ApiToken> stored = book.get(admin.id());
        if (stored.isPresent() && admin.matches(stored.get().hash()) && Role.ADMIN.wire().equals(stored.get().role())
                && stored.get().validAt(now)) {
            return Optional.empty();
        }
        return Optional.of(new TokenRecord.ApiToken(Ids.next(), 1, now, admin.id(), BOOTSTRAP_NAME, Role.ADMIN.wire(),
                admin.hash(), null, null));
    }

    /** What is wrong with the public id or the stored hash of a token the web service made, as a 400. */
    private static Optional<Rejection> idAndHashProblem(String id, String hash) {
        if (TokenSecret.idProblem(id).isPresent()) {
            return Optional.of(Rejection.badField("id", TokenSecret.idProblem(id).get()));
        }
        if (hash == null || !HASH.matcher(hash).matches()) {
            return Optional.of(Rejection.badField("hash", "must be the SHA-256 of the secret, 64 hex digits"));
        }
        return Optional.empty();
    }

    /** A token as the API shows it: never its hash. */
    public static Map<String, Object> describe(TokenRecord.ApiToken t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", t.id());
        out.put("name", t.name());
        out.put("role", t.role());
        out.put("created_at", t.at() == null ? null : t.at().toString());
        out.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
        out.put("created_by", t.createdBy());
        return out;
    }
}
