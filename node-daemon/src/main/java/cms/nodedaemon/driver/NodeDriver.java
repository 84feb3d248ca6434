package cms.nodedaemon.driver;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs nodes on this host: Docker containers or local processes. Everything a driver starts carries
 * ownership marks (labels, state files) so that a restarted daemon finds it again with {@link #list()}.
 * Start and stop are idempotent by node name.
 */
public interface NodeDriver extends AutoCloseable {

    /** {@code docker} or {@code process}. */
    String name();

    /**
     * Starts the node, or returns it if it already exists.
     *
     * @throws NodeStartException with the reason when it cannot start; nothing is left behind then
     */
    RunningNode start(NodeSpec spec) throws NodeStartException;

    /** Stops gracefully (SIGTERM, then kill after {@code grace}) and removes the node; no-op if absent. */
    void stop(String node, Duration grace);

    /** Every node this driver owns on this host, running or exited. */
    List<RunningNode> list();

    /** The node's latest usage sample, if there is one yet. */
    Optional<NodeUsage> usage(String node);

    /** Called (from any thread) when a node changes state behind the driver's back, e.g. it died. */
    void onChange(Runnable listener);

    /**
     * Called when what runs the nodes (the Docker engine) answers again after it was away: nodes that were
     * running may have been stopped meanwhile. Until then the driver throws {@link DriverUnavailableException}.
     * Drivers that cannot lose their engine never call it.
     */
    default void onReturn(Runnable listener) {
    }

    /**
     * Starts an exited node again in place, as it was (same container), e.g. after its engine restarted.
     *
     * @throws NodeStartException with the reason when it cannot; the node is left as it was then
     */
    default RunningNode restart(String node) throws NodeStartException {
        throw new NodeStartException("the " + name() + " driver cannot restart a node in place");
    }

    @Override
    void close();
}
