package cms.web.auth;

import io.javalin.http.Context;

/**
 * {@code GET /login}: the login URL {@code cms dev} prints ({@code /login?token=…}) exchanges a token for the
 * {@value ApiAuth#COOKIE} cookie (HttpOnly: no script reads it; SameSite=Strict: no other site's page makes the
 * browser send it), then goes on to the dashboard, replacing the URL with the token in the browser's history.
 * Without a token, or with one that is refused, it shows a form to paste one.
 */
public final class LoginPage {

    private final ApiAuth auth;

    public LoginPage(ApiAuth auth) {
        this.auth = auth;
    }

    public void handle(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Referrer-Policy", "no-referrer");
        String next = safeNext(ctx.queryParam("next"));
        String token = ctx.queryParam("token");
        if (token == null || token.isBlank()) {
            ctx.status(200).contentType("text/html; charset=utf-8").result(page(null, next));
            return;
        }
        ApiAuth.Decision d = auth.check(ApiAuth.Access.READ, "GET", "Bearer " + token.strip(), null, null);
        if (!d.allowed()) {
            ctx.status(d.status()).contentType("text/html; charset=utf-8").result(page(d.refusal(), next));
            return;
        }
        boolean https = "https".equalsIgnoreCase(ctx.scheme());
        ctx.header("Set-Cookie", ApiAuth.COOKIE + "=" + token.strip() + "; Path=/; HttpOnly; SameSite=Strict"
                + (https ? "; Secure" : ""));
        String to = escape(next);
        ctx.status(200).contentType("text/html; charset=utf-8").result("<!doctype html><html><head><meta charset=utf-8>"
                + "<meta http-equiv=refresh content=\"0;url=" + to + "\"><title>CMS: logged in</title></head><body>"
                + "<p>Logged in as " + escape(d.principal().name()) + " (" + d.principal().role().wire()
                + "). <a href=\"" + to + "\">Continue</a></p>"
                + "<script>location.replace(" + jsString(next) + ");</script></body></html>");
    }

    /** A path of this site to go to after the login: relative, starting with one slash; else the overview. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/";
        }
        return next;
    }

    private static String page(String refusal, String next) {
        return "<!doctype html><html><head><meta charset=utf-8><title>CMS: log in</title>"
                + "<link rel=stylesheet href=\"/static/cms.css\"></head><body><main class=login><h1>CMS</h1>"
                + (refusal == null ? "" : "<p class=\"message error\" id=refusal>" + escape(refusal) + "</p>")
                + "<form method=get action=\"/login\"><label>API token <input name=token type=password "
                + "autocomplete=off size=60 required></label><input type=hidden name=next value=\"" + escape(next)
                + "\"> <button type=submit>Log in</button></form>"
                + "<p>The login URL <code>cms dev</code> printed logs in at once; <code>./cloud auth token</code> "
                + "prints the token.</p></main></body></html>";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A JavaScript string literal of {@code s}, safe inside a script element. */
    private static String jsString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || "/-_.~".indexOf(c) >= 0) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.append('"').toString();
    }
}
