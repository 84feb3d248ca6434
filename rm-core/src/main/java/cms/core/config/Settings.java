package cms.core.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed, validated access to {@code CMS_*} settings from a map (the environment in production, {@code
 * Map.of} in tests). Every getter names its key in the error it throws, so a bad setting fails at start.
 */
public final class Settings {

    private static final Set<String> SECRET_WORDS = Set.of("PASSWORD", "SECRET", "TOKEN", "JAAS");
    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    /** A copy with the given keys set (used by launchers that turn flags into settings). */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.putAll(overrides);
        return new Settings(copy);
    }

    public String string(String key, String fallback) {
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public int integer(String key, int fallback, int min, int max) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": not a whole number: '" + v + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(key + ": " + parsed + " is outside [" + min + ", " + max + "]");
        }
        return parsed;
    }

    public double decimal(String key, double fallback, double min, double max) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": not a number: '" + v + "'");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new ConfigException(key + ": " + parsed + " is outside [" + min + ", " + max + "]");
        }
        return parsed;
    }

    public Duration millis(String key, Duration fallback, Duration min, Duration max) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": not a whole number of milliseconds: '" + v + "'");
        }
        if (parsed < min.toMillis() || parsed > max.toMillis()) {
            throw new ConfigException(key + ": " + parsed + " ms is outside [" + min.toMillis() + ", "
                    + max.toMillis() + "] ms");
        }
        return Duration.ofMillis(parsed);
    }

    /** An address a service listens on ({@link NetAddress}): a wildcard such as 0.0.0.0 is allowed. */
    public String bindAddress(String key, String fallback) {
        return NetAddress.check(key, string(key, fallback), true);
    }

    /** An address other machines connect to ({@link NetAddress}): no wildcard. */
    public String advertisedAddress(String key, String fallback) {
        return NetAddress.check(key, string(key, fallback), false);
    }

    /** The settings with secret-looking values masked, for a start-up log line. */
    public Map<String, String> maskedCmsValues() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("CMS_")) {
                boolean secret = SECRET_WORDS.stream().anyMatch(k::contains);
                out.put(k, secret ? "****" : v);
            }
        });
        return out;
    }
}
