package cms.core.metrics;

import java.util.OptionalDouble;

/** Reading Prometheus's text format, as served on {@code /metrics}. */
public final class Exposition {

    private Exposition() {
    }

    /**
     * The value of the sample {@code series} (its name and labels as written, e.g. {@code cms_nodes{pod="a"}}) in
     * {@code text}: the first line that is that series followed by a space; a timestamp after the value is ignored.
     */
    public static OptionalDouble value(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).strip().split(" ")[0]))
                .findFirst();
    }
}
