package cms.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenSecretTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void anIssuedTokenParsesBackAndMatchesOnlyItsOwnHash() {
        TokenSecret t = TokenSecret.issue(random);
        assertTrue(t.text().matches("cms_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"), t.text());
        assertEquals(Optional.of(t), TokenSecret.parse(t.text()));
        assertTrue(t.matches(t.hash()));
        assertFalse(t.matches(TokenSecret.issue(random).hash()));
        assertFalse(t.matches("not hex"));
        assertFalse(t.matches(null));
        assertEquals(64, t.hash().length());
    }

    @Test
    void theHashIsSha256OfTheSecret() {
        // SHA-256("test"), a published test vector
        assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                new TokenSecret("000000000000", "test").hash());
    }

    @Test
    void malformedTextIsNoToken() {
        for (String bad : new String[] {null, "", "cms_", "cms_0a1b2c3d4e5f", "cms_0A1B2C3D4E5F_" + "a".repeat(43),
                "cms_0a1b2c3d4e5f_" + "a".repeat(42), "xyz_0a1b2c3d4e5f_" + "a".repeat(43),
                "cms_0a1b2c3d4e5f_" + "a".repeat(42) + "="}) {
            assertEquals(Optional.empty(), TokenSecret.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void tokensAreDistinctAndNeverPrinted() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            TokenSecret t = TokenSecret.issue(random);
            assertTrue(seen.add(t.id()), "ids are random and distinct");
            assertFalse(t.toString().contains(t.secret()));
        }
        assertNotEquals(TokenSecret.issue(random).secret(), TokenSecret.issue(random).secret());
    }
}
