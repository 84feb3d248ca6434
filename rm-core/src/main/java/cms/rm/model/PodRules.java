package cms.rm.model;

import cms.core.model.ElasticityPolicy;
import cms.core.model.ImageName;
import cms.core.model.Names;
import cms.core.model.Pod;
import cms.core.model.RestartPolicy;
import cms.core.model.ScaleFromZero;
import java.util.regex.Pattern;

/** The validation rules for pods, nodes and elasticity settings. Each failure names its field. */
public final class PodRules {

    /** Pod and node names: {@link Names#NAME}, the contract's one rule. */
    public static final Pattern NAME = Names.NAME;
    public static final double MAX_CPU = 64.0;
    public static final int MIN_MEMORY_MB = 16;
    public static final int MAX_MEMORY_MB = 1024 * 1024;
    public static final int MAX_NODE_LIMIT = 1000;

    private PodRules() {
    }

    /** A pod or node name by the contract's rule ({@link Names}); else a 400 naming {@code field}. */
    public static String name(String field, String value) {
        Names.nameProblem(value).ifPresent(problem -> {
            throw Rejection.badField(field, problem);
        });
        return value;
    }

    public static double cpuLimit(double value) {
        if (!(value > 0 && value <= MAX_CPU)) {
            throw Rejection.badField("cpu", value + " must be above 0 and at most " + MAX_CPU + " cores");
        }
        return value;
    }

    public static int memoryMb(int value) {
        if (value < MIN_MEMORY_MB || value > MAX_MEMORY_MB) {
            throw Rejection.badField("memory_mb", value + " must be within [" + MIN_MEMORY_MB + ", "
                    + MAX_MEMORY_MB + "]");
        }
        return value;
    }

    public static int nodeLimit(int value) {
        if (value < 1 || value > MAX_NODE_LIMIT) {
            throw Rejection.badField("node_limit", value + " must be within [1, " + MAX_NODE_LIMIT + "]");
        }
        return value;
    }

    /** A container image reference by Docker's grammar ({@link ImageName}); else a 400 naming {@code image}. */
    public static String image(String value) {
        try {
            ImageName.parse(value);
        } catch (IllegalArgumentException e) {
            throw Rejection.badField("image", "'" + value + "' is not an image reference: " + e.getMessage());
        }
        return value;
    }

    public static int port(int value) {
        if (value < 1 || value > 65535) {
            throw Rejection.badField("port", value + " must be within [1, 65535]");
        }
        return value;
    }

    /** The longest health or job path a pod may have. */
    public static final int MAX_PATH = 512;
    private static final Pattern URI_PATH =
            Pattern.compile("(/([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)+"
                    + "(\\?([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?");

    /**
     * An absolute URI path with an optional query (RFC 3986 characters only, percent-escapes well formed),
     * at most {@value #MAX_PATH} long: what a job or health check can be sent to.
     */
    public static String path(String field, String value) {
        if (value == null || !value.startsWith("/")) {
            throw Rejection.badField(field, "'" + value + "' must be a path starting with '/'");
        }
        if (value.length() > MAX_PATH) {
            throw Rejection.badField(field, "is " + value.length() + " characters long, over " + MAX_PATH);
        }
        if (!URI_PATH.matcher(value).matches()) {
            throw Rejection.badField(field, "'" + value + "' is not a URI path (letters, digits, - . _ ~ ! $ & ' ( ) * + , ; = : @ /, "
                    + "%XX escapes and a ?query only)");
        }
        return value;
    }

    /** A restart policy word ({@code always} or {@code never}); absent is {@code always}. Returns the word to store. */
    public static String restartPolicy(String value) {
        if (value == null) {
            return null;
        }
        return RestartPolicy.parse(value.trim()).map(RestartPolicy::word).orElseThrow(() -> Rejection.badField(
                "restart_policy", "'" + value + "' is not one of always, never"));
    }

    /** MIN ≥ 0, MIN ≤ MAX ≤ the pod's node limit. */
    public static void bounds(Pod pod, int min, int max) {
        if (min < 0) {
            throw Rejection.badField("min", min + " must be 0 or more");
        }
        if (max < min) {
            throw Rejection.badField("max", max + " is below min " + min);
        }
        if (max > pod.nodeLimit()) {
            throw Rejection.badField("max", max + " is above the node limit " + pod.nodeLimit() + " of pod "
                    + pod.name());
        }
    }

    /**
     * Thresholds in [0, 1] and lower + {@link ElasticityPolicy#MIN_GAP} ≤ upper. The request field is
     * {@code value}; {@code which} (lower_threshold or upper_threshold) is named in the message.
     */
    public static void thresholds(String which, double lower, double upper, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw Rejection.badField("value", which + " " + value + " must be within [0, 1]");
        }
        if (upper - lower < ElasticityPolicy.MIN_GAP - 1e-9) {
            throw Rejection.badField("value", which + " " + value + " refused: lower " + lower + " and upper "
                    + upper + " must be at least " + ElasticityPolicy.MIN_GAP + " apart, lower below upper");
        }
    }

    /**
     * Mode, metric and step are known words; target mode has a positive target (at most 1 for cpu, in
     * milliseconds for latency, which has no thresholds and so needs target mode); demand mode is on cpu, its
     * target (the set-point, default 0.8) a share in (0, 1]; MIN 0 only with a metric
     * a pod with no node still has, see {@link ScaleFromZero} (cpu would leave it at 0 for good); the
     * pod's own windows and cool-downs within [0, 3600] s.
     */
    public static void policy(ElasticityPolicy p) {
        oneOf("mode", p.mode(), ElasticityPolicy.MODES);
        oneOf("metric", p.metric(), ElasticityPolicy.METRICS);
        oneOf("step", p.step(), ElasticityPolicy.STEPS);
        String metric = p.metricOrDefault();
        if (p.min() == 0 && !ScaleFromZero.METRICS.contains(metric)) {
            throw badField("min", "0 is allowed only with metric queue, rps or latency: a pod at 0 nodes has no "
                    + metric + " to grow on (use min 1, or --metric rps)");
        }
        boolean latency = metric.equals("latency");
        if (latency && !p.modeOrDefault().equals("target")) {
            throw badField("mode", "metric latency needs mode target with a target in milliseconds (the "
                    + "thresholds are shares from 0 to 1)");
        }
        if (p.modeOrDefault().equals("target")) {
            target(metric, p.target());
        }
        if (p.modeOrDefault().equals(ElasticityPolicy.DEMAND)) {
            if (!metric.equals("cpu")) {
                throw badField("metric", "mode demand reads the request rate against the CPU: its metric is cpu, not "
                        + metric);
            }
            if (p.target() != null) {
                target(metric, p.target());
            }
        }
        seconds("scale_out_window_seconds", p.scaleOutWindowSeconds());
        seconds("scale_in_window_seconds", p.scaleInWindowSeconds());
        seconds("scale_out_cooldown_seconds", p.scaleOutCooldownSeconds());
        seconds("scale_in_cooldown_seconds", p.scaleInCooldownSeconds());
    }

    /** A pod's own window or cool-down: absent, or whole seconds within [0, an hour]. */
    private static void seconds(String field, Integer value) {
        if (value != null && (value < 0 || value > ElasticityPolicy.MAX_TIME_RULE_SECONDS)) {
            throw badField(field, value + " must be within [0, " + ElasticityPolicy.MAX_TIME_RULE_SECONDS
                    + "] seconds");
        }
    }

    private static void target(String metric, Double t) {
        if (t == null) {
            throw badField("target", "is required in target mode" + (metric.equals("latency")
                    ? " (metric latency: the p95 response time to keep, in milliseconds)" : ""));
        }
        if (metric.equals("latency") && !(t >= ElasticityPolicy.MIN_LATENCY_TARGET_MS
                && t <= ElasticityPolicy.MAX_LATENCY_TARGET_MS)) {
            throw badField("target", t + " is not a response time in milliseconds: metric latency needs a "
                    + "target within [" + (int) ElasticityPolicy.MIN_LATENCY_TARGET_MS + ", "
                    + (int) ElasticityPolicy.MAX_LATENCY_TARGET_MS + "] ms");
        }
        if (!(t > 0) || metric.equals("cpu") && t > 1 || Double.isInfinite(t)) {
            throw badField("target", t + " must be above 0" + (metric.equals("cpu")
                    ? " and at most 1 (a share of each node's CPU limit)" : ""));
        }
    }

    private static void oneOf(String field, String value, java.util.List<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw badField(field, "'" + value + "' is not one of " + String.join(", ", allowed));
        }
    }

    private static Rejection badField(String field, String message) {
        return Rejection.badField(field, message);
    }

    /** Refuses manual changes to a pod's nodes while its elasticity policy owns its size. */
    public static void manual(Pod pod, String action) {
        if (pod.elasticity().enabled()) {
            throw Rejection.conflict("elasticity is enabled on pod " + pod.name() + ": manual " + action
                    + " is refused; disable elasticity first");
        }
    }
}
