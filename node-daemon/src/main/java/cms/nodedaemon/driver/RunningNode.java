package cms.nodedaemon.driver;

/**
 * A node as a driver sees it. {@code running} false means it exited; then {@code exitCode} and
 * {@code oomKilled} say how. {@code address} and {@code port} are where its workload is reachable.
 */
public record RunningNode(String node, String pod, String driverId, boolean running, String address, Integer port,
                          Integer exitCode, boolean oomKilled, double cpuLimit) {

    /** Why an exited node stopped, for a FAILED event. */
    public String exitReason() {
        if (oomKilled) {
            return "out of memory (killed by its memory limit)";
        }
        return exitCode == null ? "exited (exit code unknown: it ended while its daemon was away)"
                : "exited with code " + exitCode;
    }
}
