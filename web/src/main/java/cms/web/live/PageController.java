package cms.web.live;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's pages: plain HTML from the build's resources ({@code /dashboard}); their scripts and
 * styles are served under {@code /static}. Each page loads a snapshot from the API and then follows
 * {@code /api/stream}.
 */
public final class PageController {

    private final String overview = page("index.html");
    private final String pod = page("pod.html");
    private final String events = page("events.html");

    private static String page(String name) {
        try (InputStream in = PageController.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /dashboard/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void overview(Context ctx) {
        ctx.html(overview);
    }

    public void pod(Context ctx) {
        ctx.html(pod);
    }

    public void events(Context ctx) {
        ctx.html(events);
    }
}
