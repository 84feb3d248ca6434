package cms.core.model;

import java.time.Duration;
import java.util.Optional;

/**
 * A job's time limit on its way through a pod's load balancer: the resource manager sends it with each
 * attempt in {@value #HEADER} (whole seconds), and the balancer waits that long for the node's answer
 * instead of its ordinary server timeout, never longer than {@value #MAX_SECONDS} s (the API's maximum).
 */
public final class JobTimeLimit {

    public static final String HEADER = "X-CMS-Timeout-Seconds";
    public static final int MAX_SECONDS = 3600;

    private JobTimeLimit() {
    }

    /** The header's value for a limit: whole seconds, rounded up, at least 1. */
    public static String headerValue(Duration limit) {
        long millis = Math.max(1, limit.toMillis());
        return Long.toString((millis + 999) / 1000);
    }

    /**
     * The limit a request asks for: empty when the header is absent or not a positive whole number (the
     * ordinary timeout applies), else its seconds capped at {@value #MAX_SECONDS}.
     */
    public static Optional<Duration> requested(String headerValue) {
        if (headerValue == null || !headerValue.strip().matches("[0-9]{1,18}")) {
            return Optional.empty();
        }
        long seconds = Long.parseLong(headerValue.strip());
        return seconds < 1 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.min(seconds, MAX_SECONDS)));
    }
}
