package cms.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A named pool of identical nodes, its limits, its paused flag, its elasticity policy and the port of
 * its load-balancer frontend (where clients reach it).
 */
public record Pod(String name, Workload workload, double cpuLimit, int memoryMb, int nodeLimit, boolean paused,
                 ElasticityPolicy elasticity, List<Node> nodes, Instant createdAt, Integer frontendPort) {

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

    public Optional<Node> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    public Pod withNodes(List<Node> newNodes) {
        return new Pod(name, workload, cpuLimit, memoryMb, nodeLimit, paused, elasticity, newNodes, createdAt, frontendPort);
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
        return new Pod(name, workload, cpuLimit, memoryMb, nodeLimit, value, elasticity, nodes, createdAt, frontendPort);
    }

    public Pod withElasticity(ElasticityPolicy policy) {
        return new Pod(name, workload, cpuLimit, memoryMb, nodeLimit, paused, policy, nodes, createdAt, frontendPort);
    }

    public long count(NodeState state) {
        return nodes.stream().filter(n -> n.state() == state).count();
    }

    /** Nodes that are not STOPPED: a pod with any of these cannot be removed without force. */
    public long liveNodes() {
        return nodes.stream().filter(n -> n.state() != NodeState.STOPPED).count();
    }
}
