package cms.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of a token, {@code cms_<id>_<secret>}: a public id (12 lower-case hex digits, what lists and
 * revocations name) and a secret of 32 random bytes (base64url). Only the SHA-256 of the secret is ever
 * stored; a presented token is checked by hashing its secret and comparing in constant time. A high-entropy
 * secret needs no slow hash (as GitHub's and Nomad's tokens).
 */
public record TokenSecret(String id, String secret) {

    private static final Pattern FORM = Pattern.compile("cms_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");

    private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");

    /** What is wrong with a token id (12 lower-case hex digits), or empty. */
    public static Optional<String> idProblem(String id) {
        if (id == null || id.isBlank()) {
            return Optional.of("is required");
        }
        return ID.matcher(id).matches() ? Optional.empty()
                : Optional.of("'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                        + "' is not a token id (12 lower-case hex digits)");
    }

    /** A new token from {@code random}. */
    public static TokenSecret issue(SecureRandom random) {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        return new TokenSecret(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The token in {@code text} (surrounding blanks ignored), or empty when it is not of the form. */
    public static Optional<TokenSecret> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var m = FORM.matcher(text.strip());
        return m.matches() ? Optional.of(new TokenSecret(m.group(1), m.group(2))) : Optional.empty();
    }

    /** The text a user holds. */
    public String text() {
        return "cms_" + id + "_" + secret;
    }

    /** What is stored: the SHA-256 of the secret, hex. */
    public String hash() {
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Whether this token's secret is the one {@code storedHash} was made from (constant time). */
    public boolean matches(String storedHash) {
        if (storedHash == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(storedHash);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, sha256(secret));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Never the secret: a token in a log or an exception shows only its id. */
    @Override
    public String toString() {
        return "cms_" + id + "_…";
    }
}
