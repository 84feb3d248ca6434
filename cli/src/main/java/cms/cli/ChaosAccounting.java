package cms.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pure part of {@code cms bench chaos}: from what the bench counted during one fault and the terminal
 * events of {@code job-events} read to its end, the figures of that fault's row, and whether they meet the
 * goals of the faults issue (nothing lost, nothing ended twice, converged within {@value #CONVERGE_GOAL_S} s of
 * the fault's end, no restart beyond the bench's own of what it killed, and no failed client request where
 * the fault is a node's or a daemon's).
 */
final class ChaosAccounting {

    static final double CONVERGE_GOAL_S = 10;

    private ChaosAccounting() {
    }

    /**
     * The jobs of one fault: {@code accepted} answered 202 or acknowledged by Kafka, {@code refused} were
     * submitted and not accepted, {@code lost} were accepted and have no terminal event, {@code endedTwice}
     * have more than one (of every submitted job, accepted or not), {@code notSucceeded} ended once and not
     * with JobSucceeded.
     */
    record Jobs(int accepted, int refused, int lost, int endedTwice, int notSucceeded) {
    }

    /** One fault's row: what the clients saw, the jobs, convergence, memory and restarts. */
    record Row(String fault, boolean clientsMustNotFail, long requests, long requestsFailed, Jobs jobs,
               Double convergedSeconds, Map<String, Long> peakRssMb, List<String> restarts) {

        /** The goals this row misses; empty when it meets them all. */
        List<String> missed() {
            List<String> out = new ArrayList<>();
            if (jobs.lost() > 0) {
                out.add(jobs.lost() + " lost");
            }
            if (jobs.endedTwice() > 0) {
                out.add(jobs.endedTwice() + " ended twice");
            }
            if (convergedSeconds == null) {
                out.add("not converged");
            } else if (convergedSeconds > CONVERGE_GOAL_S) {
                out.add(String.format(Locale.ROOT, "converged in %.1f s", convergedSeconds));
            }
            if (!restarts.isEmpty()) {
                out.add("restarted: " + String.join(", ", restarts));
            }
            if (clientsMustNotFail && requestsFailed > 0) {
                out.add(requestsFailed + " client requests failed");
            }
            return out;
        }

        List<String> cells() {
            List<String> missed = missed();
            return List.of(fault, requestsFailed + "/" + requests, String.valueOf(jobs.accepted()),
                    String.valueOf(jobs.refused()), String.valueOf(jobs.lost()), String.valueOf(jobs.endedTwice()),
                    String.valueOf(jobs.notSucceeded()), convergedSeconds == null ? "no"
                            : String.format(Locale.ROOT, "%.1f s", convergedSeconds),
                    String.join("/", peakRssMb.values().stream().map(String::valueOf).toList()),
                    restarts.isEmpty() ? "none" : String.join(", ", restarts),
                    missed.isEmpty() ? "met" : "missed: " + String.join("; ", missed));
        }
    }

    static List<String> header(Collection<String> roles) {
        return List.of("FAULT", "REQUESTS FAILED", "JOBS ACCEPTED", "REFUSED", "LOST", "ENDED TWICE",
                "NOT SUCCEEDED", "CONVERGED", "PEAK RSS MB " + String.join("/", roles), "OTHER RESTARTS", "GOALS");
    }

    /**
     * Counts the jobs of one fault. {@code submitted}: every id the bench tried to submit during it;
     * {@code accepted}: those that were accepted; {@code terminals}: the terminal event types of each job id,
     * as job-events holds them (for any job; only the submitted ones count).
     */
    static Jobs jobs(Collection<String> submitted, Set<String> accepted, Map<String, List<String>> terminals) {
        int acceptedHere = 0;
        int lost = 0;
        int twice = 0;
        int notSucceeded = 0;
        for (String id : submitted) {
            List<String> ends = terminals.getOrDefault(id, List.of());
            if (ends.size() > 1) {
                twice++;
            } else if (ends.size() == 1 && !ends.get(0).equals("JobSucceeded")) {
                notSucceeded++;
            }
            if (accepted.contains(id)) {
                acceptedHere++;
                if (ends.isEmpty()) {
                    lost++;
                }
            }
        }
        return new Jobs(acceptedHere, submitted.size() - acceptedHere, lost, twice, notSucceeded);
    }

    /** The peak resident set in kB from the text of {@code /proc/PID/status} (its VmHWM line), or 0. */
    static long peakRssKb(String procStatus) {
        for (String line : procStatus.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
