package cms.web;

import cms.core.model.Names;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The names in the API's paths, checked before any handler runs: a blank or invalid pod, node, host or job id
 * is a 400 naming its parameter at once, and never reaches the resource manager. The rules themselves
 * are the contract's ({@link Names}); this class only says which rule each path parameter follows.
 */
final class PathNames {

    private static final Map<String, Function<String, Optional<String>>> RULES = Map.of(
            "pod", Names::nameProblem,
            "node", Names::nameProblem,
            "host", Names::hostIdProblem,
            "id", Names::jobIdProblem,
            "token", cms.core.auth.TokenSecret::idProblem);

    private PathNames() {
    }

    /** Refuses, when routes are registered, a path parameter that no rule covers. */
    static void requireRules(WebServer.Route route) {
        for (String param : route.params()) {
            if (!RULES.containsKey(param)) {
                throw new IllegalStateException("path parameter {" + param + "} of " + route.path()
                        + " has no name rule; add one to PathNames");
            }
        }
    }

    /** Every path parameter of this request by its rule; the first bad one is a 400 naming it. */
    static void check(Context ctx) {
        ctx.pathParamMap().forEach((param, value) -> check(param, value));
    }

    /** An optional query parameter that names a pod ({@code ?pod=}): absent is fine, blank or invalid is not. */
    static String optionalPod(Context ctx) {
        String value = ctx.queryParam("pod");
        if (value != null) {
            check("pod", value);
        }
        return value;
    }

    private static void check(String param, String value) {
        Function<String, Optional<String>> rule = RULES.get(param);
        if (rule == null) {
            throw new IllegalStateException("path parameter {" + param + "} has no name rule");
        }
        rule.apply(value).ifPresent(problem -> {
            throw JsonBody.bad(param, problem);
        });
    }
}
