package cms.rm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.auth.Role;
import cms.core.auth.TokenBook;
import cms.core.auth.TokenSecret;
import cms.core.event.AdminRequest;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenDecisionsTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private final TokenBook book = new TokenBook();
    private final TokenSecret secret = TokenSecret.issue(new SecureRandom());

    private AdminRequest.CreateToken create(String id, String name, String role, String hash, Instant expires) {
        return new AdminRequest.CreateToken("r1", 1, NOW, id, name, role, hash, expires, "0f0e0d0c0b0a");
    }

    @Test
    void aValidRequestStoresTheHashNeverASecretAndTheTokenThenAuthenticates() {
        var r = TokenDecisions.create(book, create(secret.id(), "ci", "Operator", secret.hash(), NOW.plusSeconds(60)),
                NOW);
        assertEquals(201, r.reply().status());
        assertEquals("operator", r.put().role(), "the role as the API spells it");
        assertEquals(secret.hash(), r.put().hash());
        assertTrue(!r.reply().body().toString().contains(secret.hash()), "the reply never shows the hash");
        book.apply(r.put().id(), r.put());
        var auth = book.authenticate(secret.text(), NOW);
        assertEquals(Role.OPERATOR, auth.principal().role());
        assertEquals("token " + secret.id() + " exists already",
                TokenDecisions.create(book, create(secret.id(), "ci", "viewer", secret.hash(), null), NOW).reply().message());
    }

    @Test
    void eachBadFieldIsNamedAndNothingIsWritten() {
        String h = secret.hash();
        assertRefused("id", create("XYZ", "ci", "viewer", h, null));
        assertRefused("name", create(secret.id(), "-bad name", "viewer", h, null));
        assertRefused("name", create(secret.id(), "x".repeat(65), "viewer", h, null));
        assertRefused("role", create(secret.id(), "ci", "root", h, null));
        assertRefused("hash", create(secret.id(), "ci", "viewer", "abc", null));
        assertRefused("expires_at", create(secret.id(), "ci", "viewer", h, NOW));
    }

    private void assertRefused(String field, AdminRequest.CreateToken request) {
        var r = TokenDecisions.create(book, request, NOW);
        assertEquals(400, r.reply().status(), r.reply().message());
        assertEquals(field, r.reply().field());
        assertNull(r.put());
        assertNull(r.tombstone());
    }

    @Test
    void revokeWritesATombstoneOfAKnownTokenAnd404ForAnother() {
        var created = TokenDecisions.create(book, create(secret.id(), "ci", "viewer", secret.hash(), null), NOW).put();
        book.apply(created.id(), created);
        var r = TokenDecisions.revoke(book, new AdminRequest.RevokeToken("r2", 1, NOW, secret.id(), "x"));
        assertEquals(secret.id(), r.tombstone());
        assertEquals(200, r.reply().status());
        book.apply(secret.id(), null);
        assertEquals(404, TokenDecisions.revoke(book, new AdminRequest.RevokeToken("r3", 1, NOW, secret.id(), "x"))
                .reply().status());
        assertEquals(400, TokenDecisions.revoke(book, new AdminRequest.RevokeToken("r4", 1, NOW, "nope", "x"))
                .reply().status());
    }

    @Test
    void theBootstrapTokenIsWrittenWhenMissingOrChangedAndNotWhenStoredAsItIs() {
        var first = TokenDecisions.bootstrap(book, secret, NOW).orElseThrow();
        assertEquals("admin", first.role());
        assertEquals(TokenDecisions.BOOTSTRAP_NAME, first.name());
        book.apply(first.id(), first);
        assertTrue(TokenDecisions.bootstrap(book, secret, NOW).isEmpty(), "stored as it is");
        var demoted = new cms.core.event.TokenRecord.ApiToken("e", 1, NOW, secret.id(), "x", "viewer", secret.hash(),
                null, null);
        book.apply(secret.id(), demoted);
        assertEquals("admin", TokenDecisions.bootstrap(book, secret, NOW).orElseThrow().role(), "made admin again");
    }
}
