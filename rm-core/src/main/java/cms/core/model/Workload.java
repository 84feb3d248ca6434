package cms.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Locale;
import java.util.Optional;

/**
 * What a pod's nodes run: one of the built-in demo workloads ({@code light}, {@code medium},
 * {@code heavy}) or a container image with its port, health path and job path.
 */
public record Workload(String builtin, String image, int port, String healthPath, String jobPath) {

    public static final int BUILTIN_PORT = 8080;

    public enum Builtin { LIGHT, MEDIUM, HEAVY;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Builtin> parse(String word) {
            for (Builtin b : values()) {
                if (b.word().equals(word)) {
                    return Optional.of(b);
                }
            }
            return Optional.empty();
        }
    }

    public static Workload builtin(Builtin kind) {
        return new Workload(kind.word(), null, BUILTIN_PORT, "/health", "/job");
    }

    public static Workload image(String image, int port, String healthPath, String jobPath) {
        return new Workload(null, image, port, healthPath, jobPath);
    }

    @JsonIgnore
    public boolean isBuiltin() {
        return builtin != null;
    }

    /** Short description for tables: {@code light} or the image name. */
    public String describe() {
        return isBuiltin() ? builtin : image + ":" + port;
    }
}
