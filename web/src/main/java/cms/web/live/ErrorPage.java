package cms.web.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's page for a request it cannot answer with a page (an unknown pod, a path it does not have, the
 * resource manager away): the status as its title, the one-line reason, and a link back to the overview.
 */
public final class ErrorPage {

    private final String template;

    public ErrorPage() {
        try (InputStream in = ErrorPage.class.getResourceAsStream("/dashboard/error.html")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /dashboard/error.html");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page for this status and reason (escaped: the reason may quote the path the browser asked for). */
    public String render(int status, String message) {
        return template.replace("{{title}}", title(status)).replace("{{status}}", String.valueOf(status))
                .replace("{{message}}", escape(message));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "400 bad request";
            case 403 -> "403 forbidden";
            case 404 -> "404 not found";
            case 503 -> "503 unavailable";
            default -> status + " error";
        };
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
