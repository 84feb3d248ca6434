package cms.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * What the resource manager does with a FAILED node of a pod whose elasticity is off (an elastic pod's
 * nodes are always restarted): {@code always} (the default) launches it again after a back-off,
 * {@code never} leaves it FAILED, as CMS did before restarts existed.
 */
public enum RestartPolicy {
    ALWAYS, NEVER;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RestartPolicy> parse(String word) {
        for (RestartPolicy p : values()) {
            if (p.word().equals(word)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The policy a pod's stored word means: absent or unknown (a newer writer's word) is {@link #ALWAYS}. */
    public static RestartPolicy of(String word) {
        return word == null ? ALWAYS : parse(word).orElse(ALWAYS);
    }
}
