package cms.core.model;

/**
 * A pod's elasticity settings: bounds and the original lower/upper utilisation thresholds. Stored and
 * validated by the resource manager; evaluated by the elasticity service.
 */
public record ElasticityPolicy(boolean enabled, int min, int max, double lowerThreshold, double upperThreshold) {

    public static final double DEFAULT_LOWER = 0.2;
    public static final double DEFAULT_UPPER = 0.8;
    /** The smallest gap between lower and upper threshold, so that a pod does not flap. */
    public static final double MIN_GAP = 0.1;

    public static ElasticityPolicy disabled() {
        return new ElasticityPolicy(false, 0, 0, DEFAULT_LOWER, DEFAULT_UPPER);
    }

    public ElasticityPolicy enable(int newMin, int newMax) {
        return new ElasticityPolicy(true, newMin, newMax, lowerThreshold, upperThreshold);
    }

    public ElasticityPolicy disable() {
        return new ElasticityPolicy(false, min, max, lowerThreshold, upperThreshold);
    }

    public ElasticityPolicy withLower(double value) {
        return new ElasticityPolicy(enabled, min, max, value, upperThreshold);
    }

    public ElasticityPolicy withUpper(double value) {
        return new ElasticityPolicy(enabled, min, max, lowerThreshold, value);
    }
}
