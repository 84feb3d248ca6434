package cms.web.model;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** Which events a stream client wants: some pods (empty: all) and some kinds (empty: all). */
public record StreamFilter(Set<String> pods, Set<Kind> kinds) {

    public static final StreamFilter ALL = new StreamFilter(Set.of(), Set.of());

    public StreamFilter {
        pods = Set.copyOf(pods);
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /**
     * From the query parameters {@code pod} and {@code kind}, each a comma-separated list or absent.
     *
     * @throws IllegalArgumentException naming the unknown kind
     */
    public static StreamFilter parse(String pod, String kind) {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (String word : words(kind)) {
            kinds.add(Kind.parse(word).orElseThrow(() -> new IllegalArgumentException("unknown kind '" + word
                    + "': one of " + Arrays.stream(Kind.values()).map(Kind::word).toList())));
        }
        return new StreamFilter(words(pod), kinds);
    }

    private static Set<String> words(String list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null) {
            for (String w : list.split(",")) {
                if (!w.isBlank()) {
                    out.add(w.trim());
                }
            }
        }
        return out;
    }

    /** A pod filter lets through only events about those pods; events about no pod (hosts) only pass without one. */
    public boolean matches(LiveEvent e) {
        return (kinds.isEmpty() || kinds.contains(e.kind())) && (pods.isEmpty() || e.pod() != null && pods.contains(e.pod()));
    }
}
