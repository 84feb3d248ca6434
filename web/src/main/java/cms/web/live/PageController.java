package cms.web.live;

import cms.core.model.Refusal;
import cms.web.ApiErrors;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * The dashboard's pages: plain HTML from the build's resources ({@code /dashboard}); their scripts and
 * styles are served under {@code /static}. Each page loads a snapshot from the API and then follows
 * {@code /api/stream}. A pod's page is only for a pod that exists: another is a 404 page (written by the
 * server's error mapping, as every refused page is).
 */
public final class PageController {

    private final String overview = page("index.html");
    private final String pod = page("pod.html");
    private final String events = page("events.html");
    private final Predicate<String> podExists;

    /** {@code podExists}: whether a pod exists (may ask the resource manager, and throw when it cannot answer). */
    public PageController(Predicate<String> podExists) {
        this.podExists = podExists;
    }

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
        String name = ctx.pathParam("pod");
        if (!podExists.test(name)) {
            throw ApiErrors.refuse(Refusal.unknownPod(name));
        }
        ctx.html(pod);
    }

    public void events(Context ctx) {
        ctx.html(events);
    }
}
