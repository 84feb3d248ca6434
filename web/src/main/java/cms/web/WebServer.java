package cms.web;

import static cms.web.auth.ApiAuth.Access.ADMINISTER;
import static cms.web.auth.ApiAuth.Access.OPERATE;
import static cms.web.auth.ApiAuth.Access.PUBLIC;
import static cms.web.auth.ApiAuth.Access.READ;

import cms.core.kafka.BrokerUnreachableException;
import cms.core.kafka.BrokerWatch;
import cms.core.metrics.MetricsServer;
import cms.core.metrics.ServiceMetrics;
import cms.core.model.Refusal;
import cms.web.auth.ApiAuth;
import cms.web.auth.ApiAuth.Access;
import cms.web.auth.LoginPage;
import cms.web.live.ErrorPage;
import cms.web.live.LiveController;
import cms.web.live.PageController;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.EndpointNotFound;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web service's HTTP server: every route is registered here, and errors are mapped once: to the API's one error
 * shape ({@link ApiErrors}), or, for a dashboard page, to the error page.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final Javalin app;
    private final ApiJson api;
    private final ErrorPage errorPage = new ErrorPage();
    private final String openApi;
    private final LiveController live;
    private final List<Route> routes = new ArrayList<>();
    private final RequestGuard guard;
    private final ApiAuth auth;

    /** The request attribute that holds the caller's {@link cms.core.auth.TokenBook.Principal}. */
    public static final String PRINCIPAL = "cms.principal";

    /** One registered route: its HTTP method, path pattern ({@code /api/pods/{pod}}) and what a caller needs. */
    public record Route(String method, String path, Access access) {

        private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

        /** The names of its path parameters, in order. */
        public List<String> params() {
            return PARAM.matcher(path).results().map(m -> m.group(1)).toList();
        }

        /** A path of this route with these values (as they are written in a URL) for its parameters. */
        public String with(Map<String, String> values) {
            return PARAM.matcher(path).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1))));
        }
    }

    public WebServer(WebConfig config, AdminController admin, JobsController jobs, LiveController live,
                     PageController pages, TokensController tokens, ApiAuth auth, ApiJson api) {
        this(config, admin, jobs, live, pages, tokens, auth, api, ServiceMetrics.none());
    }

    /** {@code metrics}: the web service's meters, served at {@code GET /metrics} to any token (as the dashboard). */
    public WebServer(WebConfig config, AdminController admin, JobsController jobs, LiveController live,
                     PageController pages, TokensController tokens, ApiAuth auth, ApiJson api,
                     ServiceMetrics metrics) {
        this.api = api;
        this.live = live;
        this.auth = auth;
        this.openApi = resource("/openapi.json");
        this.guard = RequestGuard.forBinding(config.host(), config.allowedHosts());
        LoginPage login = new LoginPage(auth);
        this.app = Javalin.create(c -> {
            configure(c, config, admin, jobs);
            route(c, "GET", "/login", PUBLIC, login::handle);
            route(c, "GET", "/metrics", READ, ctx -> ctx.contentType(MetricsServer.CONTENT_TYPE).result(metrics.scrape()));
            route(c, "GET", "/api/whoami", READ, tokens::whoami);
            route(c, "GET", "/api/tokens", ADMINISTER, tokens::list);
            route(c, "POST", "/api/tokens", ADMINISTER, tokens::create);
            route(c, "DELETE", "/api/tokens/{token}", ADMINISTER, tokens::revoke);
            route(c, "POST", "/api/hosts/{host}/join-token", ADMINISTER, tokens::joinToken);
            live(c, live, pages);
        });
    }

    /**
     * Registers one route. Before its handler runs: a call another site's page makes through a browser, or a
     * body that is not JSON, is refused ({@link RequestGuard}); then a caller without a valid token (401), or
     * whose role may not take the route's action (403), is refused ({@link ApiAuth}; a dashboard page sends a
     * browser without one to the login page); then its path names ({@code {pod}}, {@code {node}}, {@code {id}})
     * are checked ({@link PathNames}): a bad one is a 400 naming it.
     */
    private void route(JavalinConfig c, String method, String path, Access access, Handler handler) {
        Route route = new Route(method, path, access);
        PathNames.requireRules(route);
        routes.add(route);
        boolean page = isPage(method, path);
        Handler checked = ctx -> {
            guard.check(ctx.method().name(), ctx.header("Host"), ctx.header("Origin"), ctx.header("Content-Type"))
                    .ifPresent(refusal -> {
                        throw new HttpResponseException(refusal.status(), refusal.message());
                    });
            ApiAuth.Decision decision = auth.check(access, ctx.method().name(), ctx.header("Authorization"),
                    ctx.cookie(ApiAuth.COOKIE), ctx.header(ApiAuth.CSRF_HEADER));
            if (!decision.allowed()) {
                if (page && decision.status() == 401) {
                    ctx.redirect("/login?next=" + java.net.URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8),
                            io.javalin.http.HttpStatus.SEE_OTHER);
                    return;
                }
                if (decision.status() == 401) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"cms\"");
                }
                throw new HttpResponseException(decision.status(), decision.refusal());
            }
            ctx.attribute(PRINCIPAL, decision.principal());
            PathNames.check(ctx);
            handler.handle(ctx);
        };
        switch (method) {
            case "GET" -> c.routes.get(path, checked);
            case "POST" -> c.routes.post(path, checked);
            case "PUT" -> c.routes.put(path, checked);
            case "DELETE" -> c.routes.delete(path, checked);
            default -> throw new IllegalArgumentException("no such method " + method);
        }
    }

    /** Every route this server answers, in the order registered. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** The dashboard: its pages, their scripts and styles under /static, and the live API they use. */
    private void live(JavalinConfig c, LiveController live, PageController pages) {
        c.staticFiles.add(s -> {
            s.hostedPath = "/static";
            s.directory = "/dashboard/static";
            s.location = Location.CLASSPATH;
        });
        route(c, "GET", "/", READ, pages::overview);
        route(c, "GET", "/pods/{pod}", READ, pages::pod); // an unknown pod, or a path under /pods/ that is none: 404
        route(c, "GET", "/events", READ, pages::events);
        route(c, "GET", "/api/live", READ, live::overview);
        route(c, "GET", "/api/live/pods/{pod}", READ, live::pod);
        route(c, "GET", "/api/live/events", READ, live::events);
        route(c, "GET", "/api/pods/{pod}/elasticity", READ, live::elasticity);
        route(c, "GET", "/api/stream", READ, live::stream);
    }

    private void configure(JavalinConfig c, WebConfig config, AdminController admin, JobsController jobs) {
        c.jetty.host = config.host();
        c.jetty.port = config.port();
        c.startup.showJavalinBanner = false;
        route(c, "GET", "/openapi.json", PUBLIC, ctx -> ctx.contentType("application/json").result(openApi));
        route(c, "GET", "/api/health", PUBLIC, admin::health);
        route(c, "POST", "/api/init", ADMINISTER, admin::init);
        route(c, "GET", "/api/pods", READ, admin::listPods);
        route(c, "POST", "/api/pods", ADMINISTER, admin::registerPod);
        route(c, "GET", "/api/pods/{pod}", READ, admin::getPod);
        route(c, "DELETE", "/api/pods/{pod}", ADMINISTER, admin::removePod);
        route(c, "POST", "/api/pods/{pod}/pause", OPERATE, admin::pause);
        route(c, "POST", "/api/pods/{pod}/resume", OPERATE, admin::resume);
        route(c, "POST", "/api/pods/{pod}/launch", OPERATE, admin::launch);
        route(c, "GET", "/api/pods/{pod}/nodes", READ, admin::listPodNodes);
        route(c, "POST", "/api/pods/{pod}/nodes", OPERATE, admin::registerNode);
        route(c, "DELETE", "/api/pods/{pod}/nodes/{node}", OPERATE, admin::removeNode);
        route(c, "PUT", "/api/pods/{pod}/elasticity", OPERATE, admin::enableElasticity);
        route(c, "DELETE", "/api/pods/{pod}/elasticity", OPERATE, admin::disableElasticity);
        route(c, "PUT", "/api/pods/{pod}/elasticity/lower_threshold", OPERATE, admin::lowerThreshold);
        route(c, "PUT", "/api/pods/{pod}/elasticity/upper_threshold", OPERATE, admin::upperThreshold);
        route(c, "GET", "/api/nodes", READ, admin::listNodes);
        route(c, "GET", "/api/hosts", READ, admin::listHosts);
        route(c, "POST", "/api/hosts/{host}/cordon", OPERATE, admin::cordonHost);
        route(c, "POST", "/api/hosts/{host}/uncordon", OPERATE, admin::uncordonHost);
        route(c, "POST", "/api/hosts/{host}/drain", OPERATE, admin::drainHost);
        route(c, "POST", "/api/jobs", OPERATE, jobs::submit);
        route(c, "GET", "/api/jobs", READ, jobs::list);
        route(c, "GET", "/api/jobs/{id}", READ, jobs::get);
        route(c, "POST", "/api/jobs/{id}/abort", OPERATE, jobs::abort);
        c.routes.exception(EndpointNotFound.class, (e, ctx) -> error(ctx, Refusal.unknownRoute(ctx.method().name(),
                ctx.path())));
        c.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, ApiErrors.of(e)));
        c.routes.exception(ResourceManagerUnavailableException.class, (e, ctx) -> unavailable(ctx, e.getMessage(),
                BrokerWatch.RETRY_AFTER_SECONDS));
        c.routes.exception(BrokerUnreachableException.class, (e, ctx) -> unavailable(ctx, e.getMessage(),
                e.retryAfterSeconds()));
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
            error(ctx, new Refusal(500, null, "internal error: " + e));
        });
    }

    /** A dashboard page (HTML, for a browser), as opposed to the API, its document, metrics and static files. */
    private static boolean isPage(String method, String path) {
        return method.equals("GET") && !path.startsWith("/api/") && !path.equals("/api") && !path.startsWith("/static/")
                && !path.equals("/openapi.json") && !path.equals("/metrics");
    }

    /** A 503: the one-line reason, and when to ask again. */
    private void unavailable(Context ctx, String message, long retryAfterSeconds) {
        try {
            ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        } catch (RuntimeException gone) {
            LOG.debug("Retry-After not written, the exchange is over: {}", gone.toString());
        }
        error(ctx, new Refusal(503, null, message));
    }

    /**
     * Writes the error: the API's error body, or for a dashboard page the error page. It must not throw: an
     * exception handler that throws sends Jetty's error handling round again (seen as a flood of exceptions when
     * streams ended as a server stopped).
     */
    private void error(Context ctx, Refusal r) {
        try {
            ctx.status(r.status());
            if (isPage(ctx.method().name(), ctx.path())) {
                ctx.contentType("text/html; charset=utf-8").result(errorPage.render(r.status(), r.message()));
            } else {
                ctx.contentType("application/json").result(api.write(new ApiErrors.Body(r.message(), r.field())));
            }
        } catch (RuntimeException gone) {
            LOG.debug("error {} not written, the exchange is over: {}", r.status(), gone.toString());
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
