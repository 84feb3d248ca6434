package cms.nodedaemon.driver;

import cms.core.model.Workload;

/** What to run for one node: its pod's workload and limits, published on the host's address. */
public record NodeSpec(String node, String pod, Workload workload, double cpuLimit, int memoryMb) {
}
