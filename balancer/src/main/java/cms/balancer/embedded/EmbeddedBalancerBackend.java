package cms.balancer.embedded;

import cms.balancer.PoolException;
import cms.balancer.PooledBackend;
import cms.balancer.PoolSpec;
import cms.balancer.model.Slot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded balancer, for hosts without HAProxy: one Jetty reverse proxy per pod inside the
 * balancer's own process, with the same slots, round robin, health checks (every 500 ms, rise 2,
 * fall 3, 3 s timeout), drain and counters. Unlike HAProxy, its frontends stop with the balancer.
 */
public final class EmbeddedBalancerBackend extends PooledBackend<EmbeddedPool> {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();
    private final HttpClient checker = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(500)).build();
    private final ScheduledExecutorService checks = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "cms-embedded-checks");
        t.setDaemon(true);
        return t;
    });

    private final Duration serverTimeout;

    /** {@code serverTimeout}: how long a frontend waits for a node's answer to a request without a job's limit. */
    public EmbeddedBalancerBackend(Duration serverTimeout) {
        this.serverTimeout = serverTimeout;
        checks.scheduleWithFixedDelay(this::checkAll, 500, 500, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "embedded";
    }

    /** Starts a check of every slot in use that has none running: a slow node does not hold up the others. */
    private void checkAll() {
        for (EmbeddedPool pool : pools.values()) {
            for (EmbeddedSlot s : pool.slots) {
                if (s.admin != Slot.Admin.MAINT && s.startCheck()) {
                    String address = s.address;
                    int port = s.port;
                    HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + address + ":" + port
                            + pool.spec.healthPath())).timeout(Duration.ofSeconds(3)).GET().build();
                    checker.sendAsync(r, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, error) ->
                            s.checked(address, port, error == null && resp.statusCode() == 200));
                }
            }
        }
    }

    @Override
    public void ensurePool(PoolSpec spec) throws PoolException {
        EmbeddedPool existing = pools.get(spec.pod());
        if (existing != null && existing.spec.equals(spec)) {
            return;
        }
        if (existing != null) {
            pools.remove(spec.pod()).stop();
        }
        pools.put(spec.pod(), new EmbeddedPool(spec, client, serverTimeout));
    }

    /** Stops every frontend: they live in this process. */
    @Override
    public void close() {
        checks.shutdownNow();
        pools.values().forEach(EmbeddedPool::stop);
        pools.clear();
    }
}
