package cms.web;

import cms.core.codec.EventCodec;
import cms.web.live.LiveController;
import cms.web.live.PageController;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web service's HTTP server: every route is registered here, and errors are mapped to JSON once. */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;
    private final EventCodec codec;
    private final String openApi;
    private final LiveController live;

    public WebServer(WebConfig config, AdminController admin, JobsController jobs, LiveController live,
                     EventCodec codec) {
        this.codec = codec;
        this.live = live;
        this.openApi = resource("/openapi.json");
        PageController pages = new PageController();
        this.app = Javalin.create(c -> {
            configure(c, config, admin, jobs);
            live(c, live, pages);
        });
    }

    /** The dashboard: its pages, their scripts and styles under /static, and the live API they use. */
    private void live(JavalinConfig c, LiveController live, PageController pages) {
        c.staticFiles.add(s -> {
            s.hostedPath = "/static";
            s.directory = "/dashboard/static";
            s.location = Location.CLASSPATH;
        });
        c.routes.get("/", pages::overview);
        c.routes.get("/pods/{pod}", pages::pod);
        c.routes.get("/events", pages::events);
        c.routes.get("/api/live", live::overview);
        c.routes.get("/api/live/pods/{pod}", live::pod);
        c.routes.get("/api/live/events", live::events);
        c.routes.get("/api/pods/{pod}/elasticity", live::elasticity);
        c.routes.get("/api/stream", live::stream);
    }

    private void configure(JavalinConfig c, WebConfig config, AdminController admin, JobsController jobs) {
        c.jetty.host = config.host();
        c.jetty.port = config.port();
        c.startup.showJavalinBanner = false;
        c.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        c.routes.get("/api/health", admin::health);
        c.routes.post("/api/init", admin::init);
        c.routes.get("/api/pods", admin::listPods);
        c.routes.post("/api/pods", admin::registerPod);
        c.routes.get("/api/pods/{pod}", admin::getPod);
        c.routes.delete("/api/pods/{pod}", admin::removePod);
        c.routes.post("/api/pods/{pod}/pause", admin::pause);
        c.routes.post("/api/pods/{pod}/resume", admin::resume);
        c.routes.post("/api/pods/{pod}/launch", admin::launch);
        c.routes.get("/api/pods/{pod}/nodes", admin::listPodNodes);
        c.routes.post("/api/pods/{pod}/nodes", admin::registerNode);
        c.routes.delete("/api/pods/{pod}/nodes/{node}", admin::removeNode);
        c.routes.put("/api/pods/{pod}/elasticity", admin::enableElasticity);
        c.routes.delete("/api/pods/{pod}/elasticity", admin::disableElasticity);
        c.routes.put("/api/pods/{pod}/elasticity/lower_threshold", admin::lowerThreshold);
        c.routes.put("/api/pods/{pod}/elasticity/upper_threshold", admin::upperThreshold);
        c.routes.get("/api/nodes", admin::listNodes);
        c.routes.post("/api/jobs", jobs::submit);
        c.routes.get("/api/jobs", jobs::list);
        c.routes.get("/api/jobs/{id}", jobs::get);
        c.routes.post("/api/jobs/{id}/abort", jobs::abort);
        c.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage(),
                e.getDetails().get("field")));
        c.routes.exception(ResourceManagerUnavailableException.class, (e, ctx) -> error(ctx, 503, e.getMessage(),
                null));
        c.routes.exception(Exception.class, (e, ctx) -> {
            String request;
            try {
                request = ctx.method() + " " + ctx.path();
            } catch (RuntimeException gone) {
                // an asynchronous answer (a long poll, a stream) ended after its exchange was over: nobody to tell
                LOG.debug("late answer after its request was over: {}", e.toString());
                return;
            }
            LOG.error("{} failed", request, e);
            error(ctx, 500, "internal error: " + e, null);
        });
    }

    /**
     * Writes the JSON error. It must not throw: an exception handler that throws sends Jetty's error
     * handling round again (seen as a flood of exceptions when streams ended as a server stopped).
     */
    private void error(Context ctx, int status, String message, String field) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", message);
        if (field != null) {
            out.put("field", field);
        }
        try {
            ctx.status(status).contentType("application/json").result(codec.toJson(out));
        } catch (RuntimeException gone) {
            LOG.debug("error {} not written, the exchange is over: {}", status, gone.toString());
        }
    }

    private static String resource(String name) {
        try (InputStream in = WebServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebServer start() {
        app.start();
        LOG.info("web: API listening on {}", url());
        return this;
    }

    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + app.jettyServer().server().getURI().getHost() + ":" + port();
    }

    @Override
    public void close() {
        live.close();
        app.stop();
    }
}
