package cms.balancer.haproxy;

import cms.balancer.PoolSpec;
import cms.balancer.activator.Activator;
import cms.core.model.JobTimeLimit;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The base configuration of one pod's HAProxy: an admin socket, one frontend on the pod's port that
 * answers a clear 503 when no node is in service, and one backend of pre-declared server slots (all in
 * maintenance at start) with HTTP health checks, redispatch and retries. Slots are re-addressed at run
 * time rather than added and deleted: Debian's HAProxy 2.6.12 can crash when a server is deleted while
 * requests are still retried against it (see the team's infra notes). The server timeout is the
 * ordinary one, except for a request that brings a job's time limit in {@value JobTimeLimit#HEADER}: its
 * server timeout follows that limit ({@code http-request set-timeout server}, in HAProxy since 2.4),
 * never above {@value JobTimeLimit#MAX_SECONDS} s; a value that is not a positive number changes nothing.
 * A pod that scales from zero (its spec names the activator) has the activator as a backup server, used only
 * while no slot is up, so its frontend never answers the 503 itself: the request waits there for a node. Its
 * backend names the pod in {@value Activator#POD_HEADER} and does not retry a 503 (the activator's answer after
 * its hold limit: a retry would wait that long again).
 */
final class HaproxyConfig {

    /** The name of the activator's backup server: not a slot, never changed at run time. */
    static final String ACTIVATOR = "activator";

    private HaproxyConfig() {
    }

    static String render(PoolSpec spec, Path dir, Duration serverTimeout) {
        return base(spec, dir, serverTimeout) + (spec.activator() == null ? "" : String.join("\n",
                "    # no node in service: the request waits in the activator while one starts",
                "    http-request set-header " + Activator.POD_HEADER + " " + spec.pod(),
                "    retry-on conn-failure empty-response junk-response response-timeout 0rtt-rejected 500 502 504",
                "    server " + ACTIVATOR + " " + spec.activator() + " backup no-check",
                ""));
    }

    private static String base(PoolSpec spec, Path dir, Duration serverTimeout) {
        String be = "be_" + spec.pod();
        String limit = "req.hdr_val(" + JobTimeLimit.HEADER + ")";
        String unavailable = "{\"error\":\"pod " + spec.pod() + " has no node in service: it is paused, or none of "
                + "its nodes is ONLINE\"}";
        return String.join("\n",
                "# written by CMS for pod " + spec.pod() + "; slots are changed through the admin socket",
                "global",
                "    stats socket \"" + dir.resolve("admin.sock") + "\" mode 600 level admin",
                "    stats timeout 30s",
                "    server-state-file \"" + HaproxyServerState.file(dir) + "\"",
                "defaults",
                "    mode http",
                "    timeout connect 1s",
                "    timeout client 30s",
                "    timeout server " + serverTimeout.toMillis() + "ms",
                "    timeout queue 10s",
                "    retries 3",
                "    option redispatch 1",
                "    load-server-state-from-file global",
                "    retry-on all-retryable-errors",
                "frontend fe_" + spec.pod(),
                "    bind " + spec.bindAddress() + ":" + spec.port(),
                "    http-request return status 503 content-type application/json string '" + unavailable
                        + "' if { nbsrv(" + be + ") eq 0 }",
                "    default_backend " + be,
                "backend " + be,
                "    balance roundrobin",
                "    http-request disable-l7-retry if !METH_GET !METH_HEAD",
                "    # a job's attempt waits for its node as long as the job's own time limit allows",
                "    http-request set-timeout server " + JobTimeLimit.MAX_SECONDS + "s if { " + limit + " gt "
                        + JobTimeLimit.MAX_SECONDS + " }",
                "    http-request set-timeout server " + limit + ",mul(1000) if { " + limit + " 1:"
                        + JobTimeLimit.MAX_SECONDS + " }",
                "    option httpchk GET " + spec.healthPath(),
                "    http-check expect status 200",
                "    # a busy node (at its CPU quota) answers slowly but is alive; a dead one refuses at once",
                "    timeout check 3s",
                "    default-server check inter 500 fastinter 250 downinter 500 rise 2 fall 3 weight 1",
                "    server-template s 1-" + spec.slots() + " 127.0.0.1:1 disabled",
                "");
    }
}
