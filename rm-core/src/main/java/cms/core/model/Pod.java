package cms.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A named pool of identical nodes, its limits, its paused flag, its elasticity policy, the port of its
 * load-balancer frontend (where clients reach it) and its restart policy ({@code always} or {@code never},
 * see {@link RestartPolicy}; absent means {@code always}).
 */
public record Pod(String name, Workload workload, double cpuLimit, int memoryMb, int nodeLimit, boolean paused,
                 ElasticityPolicy elasticity, List<Node> nodes, Instant createdAt, Integer frontendPort,
                 String restartPolicy) {

    public static final int DEFAULT_NODE_LIMIT = 20;
    public static final double DEFAULT_CPU = 0.3;
    public static final int DEFAULT_MEMORY_MB = 100;

    public Pod {
        nodes = List.copyOf(nodes);
    }

    /** A pod without a load-balancer frontend port yet (schema v1 snapshots written before it existed). */
    public Pod(String name, Workload workload, double cpuLimit, int memoryMb, int nodeLimit, boolean paused,
               ElasticityPolicy elasticity, List<Node> nodes, Instant createdAt) {
        this(name, workload, cpuLimit, memoryMb, nodeLimit, paused, elasticity, nodes, createdAt, null);
    }

    /** A pod without a restart policy (snapshots written before it existed): restarts {@code always}. */
    public Pod(String name, Workload workload, double cpuLimit, int memoryMb, int nodeLimit, boolean paused,
               ElasticityPolicy elasticity, List<Node> nodes, Instant createdAt, Integer frontendPort) {
        this(name, workload, cpuLimit, memoryMb, nodeLimit, paused, elasticity, nodes, createdAt, frontendPort, null);
    }

    public Optional<Node> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    public Pod withNodes(List<Node> newNodes) {
        return new Pod(name, workload, cpuLimit, memoryMb, nodeLimit, paused, elasticity, newNodes, createdAt, frontendPort,
                restartPolicy);
    }

    /** Replaces the node of the same name in place, or appends it. */
    public Pod withNode(Node node) {
        List<Node> copy = new ArrayList<>(nodes);
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).name().equals(node.name())) {
                copy.set(i, node);
                return withNodes(copy);
            }
        }
        copy.add(node);
        return withNodes(copy);
    }

    public Pod updateNode(String nodeName, UnaryOperator<Node> change) {
        return withNodes(nodes.stream().map(n -> n.name().equals(nodeName) ? change.apply(n) : n).toList());
    }

    public Pod withoutNode(String nodeName) {
        return withNodes(nodes.stream().filter(n -> !n.name().equals(nodeName)).toList());
    }

    public Pod withPaused(boolean value) {
        return new Pod(name, workload, cpuLimit, memoryMb, nodeLimit, value, elasticity, nodes, createdAt, frontendPort,
                restartPolicy);
    }

    public Pod withElasticity(ElasticityPolicy policy) {
        return new Pod(name, workload, cpuLimit, memoryMb, nodeLimit, paused, policy, nodes, createdAt, frontendPort,
                restartPolicy);
    }

    public long count(NodeState state) {
        return nodes.stream().filter(n -> n.state() == state).count();
    }

    /** Nodes that are not STOPPED: a pod with any of these cannot be removed without force. */
    public long liveNodes() {
        return nodes.stream().filter(n -> n.state() != NodeState.STOPPED).count();
    }

    /**
     * Whether this FAILED node is to be launched again: it is not being removed, and the pod is elastic
     * (its size is owned by elasticity, so a failed node is replaced by itself) or restarts {@code always}.
     * Such a node still counts toward the pod's size while it waits for its restart.
     */
    public boolean restarts(Node node) {
        return node.state() == NodeState.FAILED && !node.removing()
                && (elasticity.enabled() || RestartPolicy.of(restartPolicy) == RestartPolicy.ALWAYS);
    }

    /** Nodes that make up the pod's size: NEW, STARTING, ONLINE, or FAILED and waiting for a restart; none being removed. */
    public List<Node> sizedNodes() {
        return nodes.stream().filter(n -> !n.removing() && (n.state() == NodeState.NEW || n.state() == NodeState.STARTING
                || n.state() == NodeState.ONLINE || restarts(n))).toList();
    }
}
