package cms.balancer.embedded;

import cms.balancer.BackendPool;
import cms.balancer.PoolException;
import cms.balancer.PoolSpec;
import cms.balancer.PoolStats;
import cms.balancer.model.Slot;
import cms.balancer.model.SlotStep;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * One pod's embedded reverse proxy: a Jetty server on the pod's port whose {@link EmbeddedProxyHandler}
 * sends each request to the next serving slot in turn (round robin). It keeps the slots, the same
 * counters as HAProxy and the last 1024 response times.
 */
final class EmbeddedPool implements BackendPool {

    final PoolSpec spec;
    final EmbeddedSlot[] slots;
    private final Server server;
    private int cursor;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final double[] times = new double[1024];
    private long timed;

    EmbeddedPool(PoolSpec spec, HttpClient client, Duration serverTimeout) throws PoolException {
        this.spec = spec;
        this.slots = new EmbeddedSlot[spec.slots()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new EmbeddedSlot("s" + (i + 1));
        }
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(spec.bindAddress());
        connector.setPort(spec.port());
        server.addConnector(connector);
        server.setHandler(new EmbeddedProxyHandler(this, client, serverTimeout));
        try {
            server.start();
        } catch (Exception e) {
            stop();
            throw new PoolException("pod " + spec.pod() + ": cannot listen on " + spec.bindAddress() + ":" + spec.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The next serving slot in turn (strict round robin), skipping those already tried for this request. */
    synchronized EmbeddedSlot pick(Set<EmbeddedSlot> tried) {
        for (int i = 0; i < slots.length; i++) {
            EmbeddedSlot s = slots[(cursor + i) % slots.length];
            if (s.serving() && !tried.contains(s)) {
                cursor = (cursor + i + 1) % slots.length;
                return s;
            }
        }
        return null;
    }

    synchronized void record(double millis) {
        times[(int) (timed++ % times.length)] = millis;
    }

    @Override
    public List<Slot> slots() {
        List<Slot> out = new ArrayList<>();
        for (EmbeddedSlot s : slots) {
            out.add(s.view());
        }
        return out;
    }

    @Override
    public void apply(SlotStep step) throws PoolException {
        if (step instanceof SlotStep.Assign a) {
            slot(a.slot()).assign(a.address(), a.port());
        } else if (step instanceof SlotStep.Promote p) {
            slot(p.slot()).weight = 1;
        } else if (step instanceof SlotStep.Ready r) {
            slot(r.slot()).admin = Slot.Admin.READY;
        } else if (step instanceof SlotStep.Drain d) {
            slot(d.slot()).admin = Slot.Admin.DRAIN;
        } else if (step instanceof SlotStep.Free f) {
            slot(f.slot()).admin = Slot.Admin.MAINT;
        }
    }

    private EmbeddedSlot slot(String name) throws PoolException {
        for (EmbeddedSlot s : slots) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new PoolException("pod " + spec.pod() + " has no slot " + name);
    }

    @Override
    public synchronized PoolStats stats() {
        int n = (int) Math.min(timed, times.length);
        double[] sorted = Arrays.copyOf(times, n);
        Arrays.sort(sorted);
        Double mean = n == 0 ? null : Arrays.stream(sorted).average().orElse(0);
        List<PoolStats.ServerStats> servers = new ArrayList<>();
        int sessions = 0;
        for (EmbeddedSlot s : slots) {
            sessions += s.sessions.get();
            if (s.admin != Slot.Admin.MAINT) {
                servers.add(new PoolStats.ServerStats(s.name, s.address + ":" + s.port, s.status(), s.responses.get(),
                        s.errors.get(), s.sessions.get(), 0, mean == null ? 0 : mean));
            }
        }
        return new PoolStats(requests.get(), errors.get(), sessions, 0, mean, pct(sorted, 50), pct(sorted, 95),
                pct(sorted, 99), servers);
    }

    private static Double pct(double[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    @Override
    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }
}
