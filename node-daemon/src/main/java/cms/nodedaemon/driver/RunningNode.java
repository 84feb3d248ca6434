package cms.nodedaemon.driver;

import java.time.Instant;

/**
 * A node as a driver sees it. {@code running} false means it exited; then {@code exitCode} and
 * {@code oomKilled} say how. {@code address} and {@code port} are where its workload is reachable.
 * {@code stopSignalAt}: when a stop signal that CMS did not send reached it (a {@code docker stop}, or the
 * engine stopping its containers as it shuts down), else null.
 */
public record RunningNode(String node, String pod, String driverId, boolean running, String address, Integer port,
                          Integer exitCode, boolean oomKilled, double cpuLimit, Instant stopSignalAt) {

    public RunningNode(String node, String pod, String driverId, boolean running, String address, Integer port,
                       Integer exitCode, boolean oomKilled, double cpuLimit) {
        this(node, pod, driverId, running, address, port, exitCode, oomKilled, cpuLimit, null);
    }

    /** Why an exited node stopped, for a FAILED event. */
    public String exitReason() {
        if (oomKilled) {
            return "out of memory (killed by its memory limit)";
        }
        String exit = exitCode == null ? "exited (exit code unknown: it ended while its daemon was away)"
                : "exited with code " + exitCode;
        return stopSignalAt == null ? exit : "stopped from outside CMS (docker stop?): " + exit;
    }
}
