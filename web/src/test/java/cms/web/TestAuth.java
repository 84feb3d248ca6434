package cms.web;

import cms.core.auth.Role;
import cms.core.auth.TokenBook;
import cms.core.auth.TokenSecret;
import cms.core.event.TokenRecord;
import cms.web.auth.ApiAuth;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;

/**
 * Tokens for the web service's own tests, which run its server without Kafka: a book holding one token per role
 * (what the {@code tokens} topic would hold) and the check every route makes against it.
 */
final class TestAuth {

    final TokenBook book = new TokenBook();
    final TokenSecret admin = add("it-admin", Role.ADMIN);
    final TokenSecret operator = add("it-operator", Role.OPERATOR);
    final TokenSecret viewer = add("it-viewer", Role.VIEWER);
    final ApiAuth auth;

    TestAuth(Clock clock) {
        auth = new ApiAuth(book, () -> true, clock);
    }

    private TokenSecret add(String name, Role role) {
        TokenSecret s = TokenSecret.issue(new SecureRandom());
        book.apply(s.id(), new TokenRecord.ApiToken("e-" + name, 1, Instant.EPOCH, s.id(), name, role.wire(), s.hash(),
                null, null));
        return s;
    }

    /** The header value that authenticates as the admin. */
    String bearer() {
        return "Bearer " + admin.text();
    }
}
