package cms.core.model;

/**
 * A request refused, as the API answers it: the HTTP status, the input at fault ({@code field}, null when no one
 * input is: a conflict, a missing credential) and a one-line message. The words for each fault are here, once: the
 * resource manager's replies and the web service's own answers say the same thing for the same fault.
 */
public record Refusal(int status, String field, String message) {

    /** A field (body, path or query) that is missing or wrong: {@code "field: problem"}. */
    public static Refusal badField(String field, String problem) {
        return new Refusal(400, field, field + ": " + problem);
    }

    public static Refusal unknownPod(String pod) {
        return new Refusal(404, "pod", "no pod named '" + pod + "'");
    }

    public static Refusal unknownNode(String pod, String node) {
        return new Refusal(404, "node", "no node named '" + node + "' in pod " + pod);
    }

    public static Refusal unknownHost(String host) {
        return new Refusal(404, "host", "no host named '" + host + "' (cloud host ls lists the hosts)");
    }

    /** {@code field}: how the request named the job ({@code id} in a path, {@code job_id} in a body). */
    public static Refusal unknownJob(String field, String jobId) {
        return new Refusal(404, field, "no job with id '" + jobId + "'");
    }

    public static Refusal unknownToken(String tokenId) {
        return new Refusal(404, "token", "no token with id '" + tokenId + "'");
    }

    /** A page cursor ({@code after}) naming an item the list no longer has: the list is read again from its start. */
    public static Refusal unlistedAfter(String what, String key) {
        return new Refusal(409, "after", "after: " + what + " '" + key + "' is no longer listed; list again from the "
                + "start");
    }

    /** A route that does not exist: no field is at fault. */
    public static Refusal unknownRoute(String method, String path) {
        return new Refusal(404, null, "no route " + method + " " + path + " (GET /openapi.json lists the routes)");
    }
}
