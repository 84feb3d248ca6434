package cms.web;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a browser must not be made to do to the API from another site, checked before any handler runs:
 * <ul>
 * <li>a call that changes something (POST, PUT, DELETE) whose {@code Origin} is not this API's own origin is
 * refused (403): browsers send {@code Origin} with every such request from a page, so a page of another
 * site cannot call the API through the operator's browser; programs (curl, {@code cloud}) send none;</li>
 * <li>a body of such a call must be {@code application/json} (415): an HTML form can only send
 * {@code text/plain}, urlencoded or multipart bodies, which need no preflight;</li>
 * <li>a {@code Host} this API does not answer to is refused (403), so a DNS-rebinding page that reaches
 * the loopback API under its own name gets nothing: by default a loopback-bound API answers only to
 * {@code localhost} and loopback addresses, an API bound to one address also to that address, an API
 * bound to every address ({@code 0.0.0.0}) to any name; {@code CMS_WEB_ALLOWED_HOSTS} names others.</li>
 * </ul>
 */
final class RequestGuard {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final Set<String> CHANGING = Set.of("POST", "PUT", "DELETE", "PATCH");

    /** Null: any host name. */
    private final Set<String> allowedHosts;

    private RequestGuard(Set<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    /** The guard of an API bound to {@code bindHost}, also answering to {@code extraHosts}. */
    static RequestGuard forBinding(String bindHost, Set<String> extraHosts) {
        String bind = bindHost.toLowerCase(Locale.ROOT);
        if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
            return new RequestGuard(null);
        }
        java.util.HashSet<String> hosts = new java.util.HashSet<>(LOOPBACK);
        hosts.add(bind);
        extraHosts.forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        return new RequestGuard(Set.copyOf(hosts));
    }

    /** A refusal: the status and the one-line reason. */
    record Refusal(int status, String message) {
    }

    /**
     * The refusal of a request, or empty. {@code host} is its {@code Host} header (with the port),
     * {@code origin} its {@code Origin} header, {@code contentType} its {@code Content-Type}; each may be
     * null.
     */
    Optional<Refusal> check(String method, String host, String origin, String contentType) {
        if (host != null && allowedHosts != null && !allowedHosts.contains(hostName(host))) {
            return Optional.of(new Refusal(403, "Host '" + host + "' is not a name this API answers to "
                    + "(CMS_WEB_ALLOWED_HOSTS)"));
        }
        if (!CHANGING.contains(method.toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        if (origin != null && !sameOrigin(origin, host)) {
            return Optional.of(new Refusal(403, "cross-site request refused: Origin " + origin
                    + " is not this API's own"));
        }
        if (contentType != null && !isJson(contentType)) {
            return Optional.of(new Refusal(415, "Content-Type: must be application/json, not '" + contentType + "'"));
        }
        return Optional.empty();
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    /** Whether {@code origin} (scheme://host[:port]) names the host and port the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        if (host == null || origin.equals("null")) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            if (o.getHost() == null || !"http".equalsIgnoreCase(o.getScheme()) && !"https".equalsIgnoreCase(o.getScheme())) {
                return false;
            }
            int port = o.getPort() != -1 ? o.getPort() : "https".equalsIgnoreCase(o.getScheme()) ? 443 : 80;
            String originHost = o.getHost().toLowerCase(Locale.ROOT);
            return (originHost + ":" + port).equals(withPort(host, o.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code host[:port]} of a Host header, with the scheme's port when it names none, lower case. */
    private static String withPort(String host, String scheme) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        boolean hasPort = h.startsWith("[") ? h.contains("]:") : h.contains(":");
        return hasPort ? h : h + ":" + ("https".equalsIgnoreCase(scheme) ? 443 : 80);
    }

    /** The name of a Host header without its port. */
    private static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
