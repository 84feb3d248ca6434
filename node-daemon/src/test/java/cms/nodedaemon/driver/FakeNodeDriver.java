package cms.nodedaemon.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link NodeDriver} for unit tests: nodes are records in a map, "killing" one marks it
 * exited, and every start and stop is counted. Its "engine" can go away (every call throws
 * {@link DriverUnavailableException}) and come back having stopped every node; like the Docker driver it
 * tells its return listeners on the first call after that. Thread-safe, since the supervisor calls it
 * from its own thread while the test inspects it.
 */
public final class FakeNodeDriver implements NodeDriver {

    public static final String ADDRESS = "10.0.0.7";

    private final Map<String, RunningNode> nodes = new LinkedHashMap<>();
    private final Map<String, NodeUsage> usage = new LinkedHashMap<>();
    private final List<String> stops = new ArrayList<>();
    private final List<Duration> stopGraces = new ArrayList<>();
    private final List<String> restarts = new ArrayList<>();
    private final List<Runnable> returnListeners = new ArrayList<>();
    private String failNextStart;
    private RuntimeException breakNextStart;
    private RuntimeException breakNextStop;
    private String away;
    private boolean returned;
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
        engine();
        starts++;
        if (breakNextStart != null) {
            RuntimeException e = breakNextStart;
            breakNextStart = null;
            nodes.put(spec.node(), new RunningNode(spec.node(), spec.pod(), "fake-" + spec.node(), false, ADDRESS,
                    null, null, false, spec.cpuLimit())); // a half-made container left behind
            throw e;
        }
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
        engine();
        if (breakNextStop != null) {
            RuntimeException e = breakNextStop;
            breakNextStop = null;
            throw e;
        }
        stops.add(node);
        stopGraces.add(grace);
        nodes.remove(node);
        usage.remove(node);
    }

    @Override
    public synchronized List<RunningNode> list() {
        engine();
        return List.copyOf(nodes.values());
    }

    @Override
    public synchronized RunningNode restart(String node) throws NodeStartException {
        engine();
        RunningNode r = nodes.get(node);
        if (r == null) {
            throw new NodeStartException("its container is gone");
        }
        restarts.add(node);
        RunningNode again = new RunningNode(r.node(), r.pod(), r.driverId(), true, r.address(), nextPort++, null,
                false, r.cpuLimit());
        nodes.put(node, again);
        return again;
    }

    @Override
    public synchronized void onReturn(Runnable l) {
        returnListeners.add(l);
    }

    /** What the Docker driver's engine watch does on each call: throw while away, tell once it is back. */
    private void engine() {
        if (away != null) {
            throw new DriverUnavailableException(away);
        }
        if (returned) {
            returned = false;
            returnListeners.forEach(Runnable::run);
        }
    }

    /** The engine goes away: every call throws until {@link #engineBack}. */
    public synchronized void engineAway(String reason) {
        away = reason;
    }

    /** The engine is back, having stopped every node (exit code 143, as a shutting-down engine does). */
    public synchronized void engineBack() {
        away = null;
        returned = true;
        for (RunningNode r : List.copyOf(nodes.values())) {
            nodes.put(r.node(), new RunningNode(r.node(), r.pod(), r.driverId(), false, r.address(), r.port(), 143,
                    false, r.cpuLimit()));
        }
    }

    /** The next start throws this (not a {@link NodeStartException}) and leaves a half-made node behind. */
    public synchronized void breakNextStart(RuntimeException e) {
        breakNextStart = e;
    }

    /** The next stop throws this. */
    public synchronized void breakNextStop(RuntimeException e) {
        breakNextStop = e;
    }

    /** Someone outside CMS stopped the node with a signal at {@code at} (docker stop, or an engine shutting down). */
    public synchronized void stopFromOutside(String node, java.time.Instant at) {
        RunningNode r = nodes.get(node);
        nodes.put(node, new RunningNode(r.node(), r.pod(), r.driverId(), false, r.address(), r.port(), 143, false,
                r.cpuLimit(), at));
    }

    /** Names passed to restart, in order. */
    public synchronized List<String> restarted() {
        return List.copyOf(restarts);
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
