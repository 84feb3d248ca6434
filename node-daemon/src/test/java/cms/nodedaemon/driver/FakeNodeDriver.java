package cms.nodedaemon.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link NodeDriver} for unit tests: nodes are records in a map, "killing" one marks it
 * exited, and every start and stop is counted. Thread-safe, since the supervisor calls it from its own
 * thread while the test inspects it.
 */
public final class FakeNodeDriver implements NodeDriver {

    public static final String ADDRESS = "10.0.0.7";

    private final Map<String, RunningNode> nodes = new LinkedHashMap<>();
    private final Map<String, NodeUsage> usage = new LinkedHashMap<>();
    private final List<String> stops = new ArrayList<>();
    private final List<Duration> stopGraces = new ArrayList<>();
    private String failNextStart;
    private int starts;
    private int nextPort = 20000;
    private Runnable listener;
    private boolean closed;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public synchronized RunningNode start(NodeSpec spec) throws NodeStartException {
        starts++;
        if (failNextStart != null) {
            String reason = failNextStart;
            failNextStart = null;
            throw new NodeStartException(reason);
        }
        return nodes.computeIfAbsent(spec.node(), n -> new RunningNode(n, spec.pod(), "fake-" + n, true, ADDRESS,
                nextPort++, null, false, spec.cpuLimit()));
    }

    @Override
    public synchronized void stop(String node, Duration grace) {
        stops.add(node);
        stopGraces.add(grace);
        nodes.remove(node);
        usage.remove(node);
    }

    @Override
    public synchronized List<RunningNode> list() {
        return List.copyOf(nodes.values());
    }

    @Override
    public synchronized Optional<NodeUsage> usage(String node) {
        return Optional.ofNullable(usage.get(node));
    }

    @Override
    public synchronized void onChange(Runnable l) {
        this.listener = l;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    /** The next start throws {@link NodeStartException} with this reason. */
    public synchronized void failNextStart(String reason) {
        failNextStart = reason;
    }

    /** Puts a node on the "host" as if a previous daemon had started it. */
    public synchronized void put(RunningNode node) {
        nodes.put(node.node(), node);
    }

    /** The node exits with code 137 (SIGKILL). */
    public void kill(String node) {
        exit(node, 137, false);
    }

    /** The node is killed by its memory limit. */
    public void oomKill(String node) {
        exit(node, 137, true);
    }

    private synchronized void exit(String node, int code, boolean oom) {
        RunningNode r = nodes.get(node);
        nodes.put(node, new RunningNode(r.node(), r.pod(), r.driverId(), false, r.address(), r.port(), code, oom,
                r.cpuLimit()));
        notifyListener();
    }

    /** The container or process is gone without the driver having stopped it. */
    public synchronized void vanish(String node) {
        nodes.remove(node);
        notifyListener();
    }

    public synchronized void reportUsage(String node, NodeUsage u) {
        usage.put(node, u);
    }

    private void notifyListener() {
        if (listener != null) {
            listener.run();
        }
    }

    public synchronized Optional<RunningNode> node(String node) {
        return Optional.ofNullable(nodes.get(node));
    }

    public synchronized int startCalls() {
        return starts;
    }

    public synchronized int stopCalls() {
        return stops.size();
    }

    /** Names passed to stop, in order. */
    public synchronized List<String> stopped() {
        return List.copyOf(stops);
    }

    /** Graces passed to stop, in order. */
    public synchronized List<Duration> stopGraces() {
        return List.copyOf(stopGraces);
    }

    public synchronized boolean closed() {
        return closed;
    }
}
