package cms.core.auth;

import cms.core.event.TokenRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API tokens as the {@code tokens} topic holds them (a fold of its records: a value puts, a tombstone
 * removes), and the one check every call goes through: {@link #authenticate}. Safe to read from request
 * threads while one reader thread applies records.
 */
public final class TokenBook {

    private final Map<String, TokenRecord.ApiToken> tokens = new ConcurrentHashMap<>();
    /** Hosts' join tokens by their public id: they open no API, only a host's first join. */
    private final Map<String, TokenRecord.JoinToken> joins = new ConcurrentHashMap<>();
    /** Hosts admitted by a join token, by host id. */
    private final Map<String, TokenRecord.HostAdmitted> admitted = new ConcurrentHashMap<>();

    /** Who a presented token is. */
    public record Principal(String tokenId, String name, Role role) {
    }

    /** A record of the topic under {@code key}; {@code value} null is a tombstone. */
    public void apply(String key, TokenRecord value) {
        if (key == null) {
            return;
        }
        if (key.startsWith(TokenRecord.HOST_PREFIX)) {
            fold(admitted, key.substring(TokenRecord.HOST_PREFIX.length()), value, TokenRecord.HostAdmitted.class,
                    TokenRecord.HostAdmitted::hostId);
        } else if (key.startsWith(TokenRecord.JOIN_PREFIX)) {
            fold(joins, key.substring(TokenRecord.JOIN_PREFIX.length()), value, TokenRecord.JoinToken.class,
                    TokenRecord.JoinToken::id);
        } else {
            fold(tokens, key, value, TokenRecord.ApiToken.class, TokenRecord.ApiToken::id);
        }
    }

    /** A value of {@code type} whose own id is {@code id} puts; a tombstone removes; anything else is ignored. */
    private static <T extends TokenRecord> void fold(Map<String, T> into, String id, TokenRecord value, Class<T> type,
                                                     java.util.function.Function<T, String> idOf) {
        if (type.isInstance(value) && idOf.apply(type.cast(value)).equals(id)) {
            into.put(id, type.cast(value));
        } else if (value == null) {
            into.remove(id);
        }
    }

    /**
     * The principal of {@code presented} at {@code now}, or the one-line reason it is refused (never naming
     * the secret): malformed, unknown or revoked, expired, wrong secret, or a role this CMS does not know.
     */
    public Result authenticate(String presented, Instant now) {
        Optional<TokenSecret> parsed = TokenSecret.parse(presented);
        if (parsed.isEmpty()) {
            return Result.refused("not a CMS token (cms_<id>_<secret>)");
        }
        TokenRecord.ApiToken stored = tokens.get(parsed.get().id());
        if (stored == null) {
            return Result.refused("token " + parsed.get().id() + " is unknown or revoked");
        }
        if (!parsed.get().matches(stored.hash())) {
            return Result.refused("token " + parsed.get().id() + " does not match");
        }
        if (!stored.validAt(now)) {
            return Result.refused("token " + stored.id() + " expired at " + stored.expiresAt());
        }
        return Role.parse(stored.role())
                .map(role -> Result.ok(new Principal(stored.id(), stored.name(), role)))
                .orElseGet(() -> Result.refused("token " + stored.id() + " has an unknown role '" + stored.role() + "'"));
    }

    /**
     * Whether {@code presented} is a join token for host {@code hostId} valid at {@code now}: the stored token, or
     * the one-line reason it is refused (never naming the secret).
     */
    public JoinCheck join(String presented, String hostId, Instant now) {
        Optional<TokenSecret> parsed = TokenSecret.parse(presented);
        if (parsed.isEmpty()) {
            return JoinCheck.refused("the join token is not a CMS token (cms_<id>_<secret>)");
        }
        TokenRecord.JoinToken stored = joins.get(parsed.get().id());
        if (stored == null || !parsed.get().matches(stored.hash())) {
            return JoinCheck.refused("join token " + parsed.get().id() + " is unknown, used or revoked");
        }
        if (!stored.hostId().equals(hostId)) {
            return JoinCheck.refused("join token " + stored.id() + " is for host " + stored.hostId() + ", not " + hostId);
        }
        if (!stored.validAt(now)) {
            return JoinCheck.refused("join token " + stored.id() + " expired at " + stored.expiresAt());
        }
        return new JoinCheck(stored, null);
    }

    /** A join token that admits a host, or the reason it does not. */
    public record JoinCheck(TokenRecord.JoinToken token, String refusal) {
        static JoinCheck refused(String why) {
            return new JoinCheck(null, why);
        }

        public boolean ok() {
            return token != null;
        }
    }

    /** Whether the host was admitted by a join token. */
    public boolean admitted(String hostId) {
        return admitted.containsKey(hostId);
    }

    /** The join tokens not yet used or expired-and-removed, oldest first. */
    public List<TokenRecord.JoinToken> joinTokens() {
        return joins.values().stream().sorted(Comparator.comparing(TokenRecord.JoinToken::at)
                .thenComparing(TokenRecord.JoinToken::id)).toList();
    }

    /** The stored tokens (hashes included, secrets never known), oldest first. */
    public List<TokenRecord.ApiToken> list() {
        return tokens.values().stream().sorted(Comparator.comparing(TokenRecord.ApiToken::at)
                .thenComparing(TokenRecord.ApiToken::id)).toList();
    }

    public Optional<TokenRecord.ApiToken> get(String id) {
        return Optional.ofNullable(tokens.get(id));
    }

    /** Either a principal or the reason there is none. */
    public record Result(Principal principal, String refusal) {
        static Result ok(Principal p) {
            return new Result(p, null);
        }

        static Result refused(String reason) {
            return new Result(null, reason);
        }

        public boolean ok() {
            return principal != null;
        }
    }
}
