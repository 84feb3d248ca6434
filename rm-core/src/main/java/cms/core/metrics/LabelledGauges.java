package cms.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Gauges of one name, one series per label set, set from events. A series goes when what it is about goes
 * ({@link #removeIf}) or when no event has set it for a while ({@link #removeOlderThan}): the label sets stay
 * as many as the pods, nodes or hosts that exist.
 */
public final class LabelledGauges {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final String baseUnit;
    private final Map<Tags, Series> series = new ConcurrentHashMap<>();

    private static final class Series {
        volatile double value;
        volatile Instant at;
        Gauge gauge;
    }

    /** {@code baseUnit} (may be null) is added to the name in Prometheus ({@code bytes}, {@code seconds}). */
    public LabelledGauges(MeterRegistry registry, String name, String description, String baseUnit) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.baseUnit = baseUnit;
    }

    public void set(Tags tags, double value, Instant at) {
        Series s = series.computeIfAbsent(tags, t -> {
            Series created = new Series();
            created.gauge = Gauge.builder(name, created, x -> x.value).tags(t).description(description)
                    .baseUnit(baseUnit).register(registry);
            return created;
        });
        s.value = value;
        s.at = at;
    }

    public void removeIf(Predicate<Tags> which) {
        series.entrySet().removeIf(e -> {
            if (which.test(e.getKey())) {
                registry.remove(e.getValue().gauge);
                return true;
            }
            return false;
        });
    }

    /** Removes the series last set before {@code cutoff}. */
    public void removeOlderThan(Instant cutoff) {
        series.entrySet().removeIf(e -> {
            if (e.getValue().at.isBefore(cutoff)) {
                registry.remove(e.getValue().gauge);
                return true;
            }
            return false;
        });
    }

    /** The label sets held now. */
    public Set<Tags> labelSets() {
        return Set.copyOf(series.keySet());
    }

    /** True when {@code tags} has the tag {@code key} with {@code value}. */
    public static boolean has(Tags tags, String key, String value) {
        return tags.stream().anyMatch(t -> t.getKey().equals(key) && t.getValue().equals(value));
    }
}
