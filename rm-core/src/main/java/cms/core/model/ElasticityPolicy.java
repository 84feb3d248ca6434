package cms.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * A pod's elasticity settings: bounds; the mode ({@code threshold}, the original lower/upper rule,
 * {@code target}, keeping the metric near a target value, or {@code demand}: sized from the pod's request rate
 * over the requests/s a node serves at full CPU as learned from the pod, each node at the target CPU share as its
 * set-point, default 0.8; the metric must be cpu); the metric ({@code cpu}: CPU use as a share
 * of each node's limit; {@code rps}: requests per second per ONLINE node through the balancer;
 * {@code latency}: the pod's p95 response time in ms where its balancer measures one, else its mean
 * response time; {@code queue}: jobs queued and running per ONLINE node, at least one); the
 * threshold step ({@code one} node at a time, or {@code proportional}: straight to the size that puts
 * the metric in the middle of the band). Stored and validated by the resource manager; evaluated by the
 * elasticity service. Mode, metric, target and step were added after v1: absent (null) they mean
 * threshold, cpu, none and proportional (the default step was one until the simulator showed
 * proportional beating the original rule; {@code one} keeps the original behaviour). The pod's own time
 * rules, in whole seconds, were added after that: absent (null) the elasticity service's settings apply.
 */
public record ElasticityPolicy(boolean enabled, int min, int max, double lowerThreshold, double upperThreshold,
                               String mode, String metric, Double target, String step,
                               Integer scaleOutWindowSeconds, Integer scaleInWindowSeconds,
                               Integer scaleOutCooldownSeconds, Integer scaleInCooldownSeconds) {

    public static final double DEFAULT_LOWER = 0.2;
    public static final double DEFAULT_UPPER = 0.8;
    /** The smallest gap between lower and upper threshold, so that a pod does not flap. */
    public static final double MIN_GAP = 0.1;
    public static final List<String> MODES = List.of("threshold", "target", "demand");
    /** Sized from the request rate against the capacity per node the pod shows (issue 15): CPU only. */
    public static final String DEMAND = "demand";
    /** Demand mode's default set-point: each node at 80 % of its CPU share (chosen on the trace library's tuning set). */
    public static final double DEFAULT_SET_POINT = 0.8;
    public static final List<String> METRICS = List.of("cpu", "rps", "latency", "queue");
    /** Latency targets are milliseconds: from 1 ms to 10 minutes. */
    public static final double MIN_LATENCY_TARGET_MS = 1;
    public static final double MAX_LATENCY_TARGET_MS = 600_000;
    /** The longest window or cool-down a pod may set, in seconds. */
    public static final int MAX_TIME_RULE_SECONDS = 3600;

    /** Without the pod's own time rules. */
    public ElasticityPolicy(boolean enabled, int min, int max, double lowerThreshold, double upperThreshold,
                            String mode, String metric, Double target, String step) {
        this(enabled, min, max, lowerThreshold, upperThreshold, mode, metric, target, step, null, null, null, null);
    }
    public static final List<String> STEPS = List.of("one", "proportional");

    /** The v1 shape: threshold mode on CPU, one node at a time. */
    public ElasticityPolicy(boolean enabled, int min, int max, double lowerThreshold, double upperThreshold) {
        this(enabled, min, max, lowerThreshold, upperThreshold, null, null, null, null);
    }

    public static ElasticityPolicy disabled() {
        return new ElasticityPolicy(false, 0, 0, DEFAULT_LOWER, DEFAULT_UPPER);
    }

    @JsonIgnore
    public String modeOrDefault() {
        return mode == null ? "threshold" : mode;
    }

    /** Demand mode's CPU set-point: the target, else {@link #DEFAULT_SET_POINT}. */
    @JsonIgnore
    public double setPointOrDefault() {
        return target == null ? DEFAULT_SET_POINT : target;
    }

    @JsonIgnore
    public String metricOrDefault() {
        return metric == null ? "cpu" : metric;
    }

    @JsonIgnore
    public String stepOrDefault() {
        return step == null ? "proportional" : step;
    }

    public ElasticityPolicy enable(int newMin, int newMax) {
        return enable(newMin, newMax, null, null, null, null);
    }

    /** Enables with a mode, metric, target and step (null: keep what is set). */
    public ElasticityPolicy enable(int newMin, int newMax, String newMode, String newMetric, Double newTarget,
                                   String newStep) {
        return new ElasticityPolicy(true, newMin, newMax, lowerThreshold, upperThreshold,
                newMode == null ? mode : newMode, newMetric == null ? metric : newMetric,
                newTarget == null ? target : newTarget, newStep == null ? step : newStep, scaleOutWindowSeconds,
                scaleInWindowSeconds, scaleOutCooldownSeconds, scaleInCooldownSeconds);
    }

    /** The pod's own windows and cool-downs, in seconds (null: keep what is set). */
    public ElasticityPolicy withTimeRules(Integer outWindow, Integer inWindow, Integer outCooldown,
                                          Integer inCooldown) {
        return new ElasticityPolicy(enabled, min, max, lowerThreshold, upperThreshold, mode, metric, target, step,
                outWindow == null ? scaleOutWindowSeconds : outWindow, inWindow == null ? scaleInWindowSeconds
                : inWindow, outCooldown == null ? scaleOutCooldownSeconds : outCooldown,
                inCooldown == null ? scaleInCooldownSeconds : inCooldown);
    }

    public ElasticityPolicy disable() {
        return new ElasticityPolicy(false, min, max, lowerThreshold, upperThreshold, mode, metric, target, step,
                scaleOutWindowSeconds, scaleInWindowSeconds, scaleOutCooldownSeconds, scaleInCooldownSeconds);
    }

    public ElasticityPolicy withLower(double value) {
        return new ElasticityPolicy(enabled, min, max, value, upperThreshold, mode, metric, target, step,
                scaleOutWindowSeconds, scaleInWindowSeconds, scaleOutCooldownSeconds, scaleInCooldownSeconds);
    }

    public ElasticityPolicy withUpper(double value) {
        return new ElasticityPolicy(enabled, min, max, lowerThreshold, value, mode, metric, target, step,
                scaleOutWindowSeconds, scaleInWindowSeconds, scaleOutCooldownSeconds, scaleInCooldownSeconds);
    }
}
