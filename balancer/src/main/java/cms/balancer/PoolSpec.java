package cms.balancer;

/** What a pod's frontend and backend look like: where it listens, how nodes are checked, how many slots. */
public record PoolSpec(String pod, String bindAddress, int port, String healthPath, int slots) {
}
