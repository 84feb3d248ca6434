package cms.core.auth;

import cms.core.config.ConfigException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A token kept in a file: the file holds the token's text alone, or is a client configuration (JSON with a
 * {@code token} field, as {@code cms dev} writes for {@code cloud}). Errors name the file, never its content.
 */
public final class TokenFile {

    private TokenFile() {
    }

    /** The token in {@code file}; a {@link ConfigException} naming {@code setting} when it has none. */
    public static TokenSecret read(String setting, Path file) {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (IOException e) {
            throw new ConfigException(setting + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (text.startsWith("{")) {
            try {
                JsonNode token = new ObjectMapper().readTree(text).get("token");
                text = token == null || !token.isTextual() ? "" : token.asText();
            } catch (IOException e) {
                throw new ConfigException(setting + ": " + file + " is neither a token nor JSON with a \"token\"");
            }
        }
        return TokenSecret.parse(text).orElseThrow(() -> new ConfigException(setting + ": " + file
                + " holds no CMS token (cms_<12 hex>_<43 base64url>)"));
    }
}
