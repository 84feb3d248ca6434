package cms.nodedaemon.driver;

/** A node's CPU use as a share of its CPU limit (1.0 = all of it) and its memory in MB. */
public record NodeUsage(double cpuShare, long memoryMb) {
}
