package cms.web.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.auth.Role;
import cms.core.auth.TokenBook;
import cms.core.auth.TokenSecret;
import cms.core.event.TokenRecord;
import cms.web.auth.ApiAuth.Access;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ApiAuthTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private final TokenBook book = new TokenBook();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final ApiAuth auth = new ApiAuth(book, ready::get, Clock.fixed(NOW, ZoneOffset.UTC));
    private final TokenSecret admin = add("root", Role.ADMIN, null);
    private final TokenSecret operator = add("ops", Role.OPERATOR, null);
    private final TokenSecret viewer = add("eyes", Role.VIEWER, null);
    private final TokenSecret expired = add("old", Role.ADMIN, NOW.minusSeconds(1));

    private TokenSecret add(String name, Role role, Instant expires) {
        TokenSecret s = TokenSecret.issue(new SecureRandom());
        book.apply(s.id(), new TokenRecord.ApiToken("e", 1, NOW.minusSeconds(60), s.id(), name, role.wire(), s.hash(),
                expires, null));
        return s;
    }

    private static String bearer(TokenSecret s) {
        return "Bearer " + s.text();
    }

    @Test
    void eachRoleMayWhatItsActionAllowsAndIsToldWhatACallNeeds() {
        for (Access access : Access.values()) {
            assertTrue(auth.check(access, "GET", bearer(admin), null, null).allowed(), "admin " + access);
        }
        assertTrue(auth.check(Access.OPERATE, "POST", bearer(operator), null, null).allowed());
        ApiAuth.Decision op = auth.check(Access.ADMINISTER, "POST", bearer(operator), null, null);
        assertEquals(403, op.status());
        assertTrue(op.refusal().endsWith("has the role operator; this call needs admin"), op.refusal());
        assertTrue(auth.check(Access.READ, "GET", bearer(viewer), null, null).allowed());
        ApiAuth.Decision v = auth.check(Access.OPERATE, "POST", bearer(viewer), null, null);
        assertEquals(403, v.status());
        assertTrue(v.refusal().contains("needs operator"), v.refusal());
        assertEquals("eyes", auth.check(Access.READ, "GET", bearer(viewer), null, null).principal().name());
    }

    @Test
    void noCredentialABadOneAnExpiredOneOrAnotherSchemeIs401() {
        assertEquals(401, auth.check(Access.READ, "GET", null, null, null).status());
        assertTrue(auth.check(Access.READ, "GET", null, null, null).refusal().startsWith("no credential"));
        assertEquals(401, auth.check(Access.READ, "GET", "Basic YWRtaW46YWRtaW4=", null, null).status());
        assertEquals(401, auth.check(Access.READ, "GET", "Bearer nonsense", null, null).status());
        String forged = "cms_" + admin.id() + "_" + "A".repeat(43);
        ApiAuth.Decision wrong = auth.check(Access.READ, "GET", "Bearer " + forged, null, null);
        assertEquals(401, wrong.status());
        assertFalse(wrong.refusal().contains(admin.secret()), "a refusal never shows a secret");
        ApiAuth.Decision old = auth.check(Access.READ, "GET", bearer(expired), null, null);
        assertEquals(401, old.status());
        assertTrue(old.refusal().contains("expired"), old.refusal());
        book.apply(viewer.id(), null);
        assertEquals(401, auth.check(Access.READ, "GET", bearer(viewer), null, null).status(), "revoked");
    }

    @Test
    void theCookieNeedsTheCsrfHeaderForCallsThatChangeSomething() {
        assertTrue(auth.check(Access.READ, "GET", null, admin.text(), null).allowed(), "a page read with the cookie");
        ApiAuth.Decision bare = auth.check(Access.OPERATE, "POST", null, admin.text(), null);
        assertEquals(403, bare.status());
        assertTrue(bare.refusal().contains(ApiAuth.CSRF_HEADER), bare.refusal());
        assertTrue(auth.check(Access.OPERATE, "DELETE", null, admin.text(), "1").allowed());
        assertTrue(auth.check(Access.OPERATE, "POST", bearer(admin), null, null).allowed(),
                "a bearer token needs no header: no browser adds it by itself");
    }

    @Test
    void publicRoutesNeedNothingAndBeforeTheTokensAreReadEveryOtherCallIs503() {
        ApiAuth.Decision open = auth.check(Access.PUBLIC, "GET", null, null, null);
        assertTrue(open.allowed());
        assertNull(open.principal());
        ready.set(false);
        assertEquals(503, auth.check(Access.READ, "GET", bearer(admin), null, null).status());
        assertTrue(auth.check(Access.PUBLIC, "GET", null, null, null).allowed());
    }

    @Test
    void theLoginPageGoesOnOnlyToPathsOfThisSite() {
        assertEquals("/pods/light", LoginPage.safeNext("/pods/light"));
        assertEquals("/", LoginPage.safeNext("//evil.example/"));
        assertEquals("/", LoginPage.safeNext("https://evil.example/"));
        assertEquals("/", LoginPage.safeNext("/\\evil.example"));
        assertEquals("/", LoginPage.safeNext(null));
        assertEquals("&lt;script&gt;&quot;", LoginPage.escape("<script>\""));
    }
}
