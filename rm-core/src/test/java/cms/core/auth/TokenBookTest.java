package cms.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.TokenRecord;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBookTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private final SecureRandom random = new SecureRandom();
    private final TokenBook book = new TokenBook();

    private TokenSecret stored(String name, String role, Instant expiresAt) {
        TokenSecret s = TokenSecret.issue(random);
        book.apply(s.id(), new TokenRecord.ApiToken("e-" + s.id(), 1, NOW, s.id(), name, role, s.hash(), expiresAt, null));
        return s;
    }

    @Test
    void aStoredTokenIsItsPrincipal() {
        TokenSecret s = stored("ci", "operator", null);
        TokenBook.Result r = book.authenticate(s.text(), NOW);
        assertTrue(r.ok(), r.refusal());
        assertEquals(new TokenBook.Principal(s.id(), "ci", Role.OPERATOR), r.principal());
        assertTrue(book.authenticate("  " + s.text() + "\n", NOW).ok(), "blanks around it are ignored");
    }

    @Test
    void refusalsSayWhyWithoutTheSecret() {
        TokenSecret s = stored("ci", "viewer", NOW.plusSeconds(60));
        TokenSecret other = TokenSecret.issue(random);
        TokenSecret wrongSecret = new TokenSecret(s.id(), other.secret());
        assertEquals("not a CMS token (cms_<id>_<secret>)", book.authenticate("Bearer x", NOW).refusal());
        assertEquals("not a CMS token (cms_<id>_<secret>)", book.authenticate(null, NOW).refusal());
        assertEquals("token " + other.id() + " is unknown or revoked", book.authenticate(other.text(), NOW).refusal());
        String mismatch = book.authenticate(wrongSecret.text(), NOW).refusal();
        assertEquals("token " + s.id() + " does not match", mismatch);
        assertFalse(mismatch.contains(other.secret()));
        assertTrue(book.authenticate(s.text(), NOW.plusSeconds(59)).ok());
        assertTrue(book.authenticate(s.text(), NOW.plusSeconds(60)).refusal().contains("expired"));
    }

    @Test
    void aTombstoneRevokesAndJoinTokensAreNotApiTokens() {
        TokenSecret s = stored("ci", "admin", null);
        TokenSecret join = TokenSecret.issue(random);
        book.apply(TokenRecord.JOIN_PREFIX + join.id(), new TokenRecord.JoinToken("e-j", 1, NOW, join.id(), "h2",
                join.hash(), NOW.plusSeconds(900), s.id()));
        assertFalse(book.authenticate(join.text(), NOW).ok(), "a join token opens no API");
        assertEquals(List.of(s.id()), book.list().stream().map(TokenRecord.ApiToken::id).toList());
        book.apply(s.id(), null);
        assertFalse(book.authenticate(s.text(), NOW).ok());
        assertTrue(book.list().isEmpty());
    }

    @Test
    void aRecordUnderAnotherKeyOrWithAnUnknownRoleOpensNothing() {
        TokenSecret s = TokenSecret.issue(random);
        book.apply("other", new TokenRecord.ApiToken("e", 1, NOW, s.id(), "x", "admin", s.hash(), null, null));
        assertFalse(book.authenticate(s.text(), NOW).ok(), "the key must be the token's id");
        book.apply(s.id(), new TokenRecord.ApiToken("e", 1, NOW, s.id(), "x", "root", s.hash(), null, null));
        assertEquals("token " + s.id() + " has an unknown role 'root'", book.authenticate(s.text(), NOW).refusal());
    }
}
