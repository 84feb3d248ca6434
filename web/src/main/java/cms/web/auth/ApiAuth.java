package cms.web.auth;

import cms.core.auth.Role;
import cms.core.auth.TokenBook;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Who may call a route: every route says what it needs ({@link Access}), and every call presents a token,
 * either as {@code Authorization: Bearer <token>} (programs) or as the {@value #COOKIE} cookie the login URL
 * sets (browsers: HttpOnly, SameSite=Strict). A call that changes something with the cookie must also carry the
 * {@value #CSRF_HEADER} header: a page of another site can make a browser send the cookie but cannot add a
 * header without a CORS preflight, which this API never grants. No credential, or one that is unknown, revoked,
 * expired or malformed: 401. A role that may not: 403 with the role it needs.
 */
public final class ApiAuth {

    /** The login cookie: the token itself, readable by no script. */
    public static final String COOKIE = "cms_token";
    /** The header a cookie-authenticated call that changes something must carry (any value). */
    public static final String CSRF_HEADER = "X-CMS-CSRF";
    private static final Set<String> CHANGING = Set.of("POST", "PUT", "DELETE", "PATCH");

    /** What a route needs: nothing ({@code /api/health}, the login page), or a role allowing an action. */
    public enum Access {
        PUBLIC(null), READ(Role.Action.READ), OPERATE(Role.Action.OPERATE), ADMINISTER(Role.Action.ADMINISTER);

        private final Role.Action action;

        Access(Role.Action action) {
            this.action = action;
        }

        /** The least role that may call such a route, as /openapi.json names it ("none" for public routes). */
        public String least() {
            return action == null ? "none" : action.least().wire();
        }
    }

    /** The outcome of a check: a principal (null for a public route) or a refusal. */
    public record Decision(TokenBook.Principal principal, int status, String refusal) {
        public boolean allowed() {
            return refusal == null;
        }

        static Decision allow(TokenBook.Principal p) {
            return new Decision(p, 200, null);
        }

        static Decision refuse(int status, String why) {
            return new Decision(null, status, why);
        }
    }

    private final TokenBook book;
    private final java.util.function.BooleanSupplier ready;
    private final java.time.Clock clock;

    /** Checks against {@code book}, once {@code ready} (the tokens were read from Kafka), at {@code clock}'s time. */
    public ApiAuth(TokenBook book, java.util.function.BooleanSupplier ready, java.time.Clock clock) {
        this.book = book;
        this.ready = ready;
        this.clock = clock;
    }

    /** Checks against what the web service read of {@code tokens}. */
    public static ApiAuth of(TokenView view) {
        return new ApiAuth(view.book(), view::ready, view.clock());
    }

    public TokenBook book() {
        return book;
    }

    /**
     * The decision for a call of {@code method} to a route needing {@code access}, given its
     * {@code Authorization} header, its {@value #COOKIE} cookie and its {@value #CSRF_HEADER} header (each may be
     * null).
     */
    public Decision check(Access access, String method, String authorization, String cookie, String csrf) {
        if (access == Access.PUBLIC) {
            return Decision.allow(null);
        }
        String token;
        boolean fromCookie = false;
        if (authorization != null && !authorization.isBlank()) {
            String[] parts = authorization.strip().split("\\s+", 2);
            if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
                return Decision.refuse(401, "Authorization: only 'Bearer <token>' is understood here");
            }
            token = parts[1];
        } else if (cookie != null && !cookie.isBlank()) {
            token = cookie;
            fromCookie = true;
        } else {
            return Decision.refuse(401, "no credential: send 'Authorization: Bearer <token>' (./cloud auth token "
                    + "prints one), or log in with the URL cms dev printed");
        }
        if (!ready.getAsBoolean()) {
            return Decision.refuse(503, "the API has not read its tokens from Kafka yet; retry in a moment");
        }
        Instant now = clock.instant();
        TokenBook.Result result = book.authenticate(token, now);
        if (!result.ok()) {
            return Decision.refuse(401, result.refusal());
        }
        TokenBook.Principal p = result.principal();
        if (!p.role().allows(access.action)) {
            return Decision.refuse(403, "token " + p.tokenId() + " (" + p.name() + ") has the role " + p.role().wire()
                    + "; this call needs " + access.least());
        }
        if (fromCookie && CHANGING.contains(method.toUpperCase(Locale.ROOT)) && (csrf == null || csrf.isBlank())) {
            return Decision.refuse(403, "a call that changes something with the login cookie must carry the "
                    + CSRF_HEADER + " header (the dashboard sends it)");
        }
        return Decision.allow(p);
    }
}
