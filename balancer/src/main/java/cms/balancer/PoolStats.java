package cms.balancer;

import java.util.List;

/**
 * Counters of one pod's pool at one moment: cumulative requests and errors (the caller turns them into
 * rates), and what is in flight now. {@code meanResponseMs} is null when the backend has no such figure.
 */
public record PoolStats(long requests, long errors, int sessions, int queued, Double meanResponseMs,
                        Double p50Ms, Double p95Ms, Double p99Ms, List<ServerStats> servers) {

    /** One slot's counters, with the endpoint it points at and its status as the balancer shows it. */
    public record ServerStats(String slot, String endpoint, String status, long responses, long errors, int sessions,
                              int queued, double meanResponseMs) {
    }
}
