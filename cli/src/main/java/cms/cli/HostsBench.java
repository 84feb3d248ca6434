package cms.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code cms bench hosts}: how fast a lost machine is noticed and its nodes serve again elsewhere. One
 * {@link HostsCluster} (the broker, the control plane with HAProxy on the control address, a node daemon in each
 * of {@code hosts} network namespaces, liveness {@code CMS_RM_HOST_LIVENESS_MS} as given), then {@code runs}
 * host losses one after another, each a {@link HostLossRun} on a fresh pod with two nodes a host, a different
 * host killed each time and joined again afterwards, so every run starts from the same state. Prints each run
 * and the median, min and max; exits 1 when a client request failed, 2 when this machine cannot make test hosts.
 */
final class HostsBench {

    static final Duration GOAL_LOST = Duration.ofSeconds(10);
    static final Duration GOAL_SERVING = Duration.ofSeconds(15);

    private final PrintStream out;

    HostsBench(PrintStream out) {
        this.out = out;
    }

    int run(int runs, int hosts, Duration liveness) throws Exception {
        String missing = missingParts();
        if (missing != null) {
            out.println("cms bench hosts: " + missing);
            return 2;
        }
        List<HostLossRun.Result> results = measure(runs, hosts, liveness);
        summary(results, liveness);
        return results.stream().allMatch(r -> r.failed() == 0) ? 0 : 1;
    }

    /** What this machine lacks for test hosts (network namespaces, HAProxy), or null. */
    static String missingParts() {
        if (!TestHosts.namespacesAvailable()) {
            return "needs network namespaces for its test hosts: run it as root on Linux with iproute2 "
                    + "('ip netns add' failed here)";
        }
        try {
            TestHosts.run("haproxy", "-v");
        } catch (RuntimeException e) {
            return "needs HAProxy on the PATH for the frontend (" + e.getMessage() + ")";
        }
        return null;
    }

    /** The runs, each printed as it ends. */
    List<HostLossRun.Result> measure(int runs, int hosts, Duration liveness) throws Exception {
        if (runs < 1 || hosts < 2) {
            throw new IllegalArgumentException("cms bench hosts needs --runs ≥ 1 and --hosts ≥ 2 (got " + runs
                    + " and " + hosts + ")");
        }
        List<HostLossRun.Result> results = new ArrayList<>();
        try (HostsCluster c = HostsCluster.start(hosts, Map.of("CMS_RM_HOST_LIVENESS_MS",
                String.valueOf(liveness.toMillis()), "CMS_BALANCER", "haproxy"))) {
            out.printf(Locale.ROOT, "%d test hosts %s (%s), control plane and HAProxy on %s; host liveness %d ms; a "
                    + "pod of %d light nodes per run, %d client GETs/s through its frontend%n", hosts,
                    c.hosts.hosts().stream().map(h -> h.id() + "=" + h.address()).toList(),
                    c.hosts.usesNamespaces() ? "network namespaces" : "loopback addresses", c.hosts.controlAddress(),
                    liveness.toMillis(), 2 * hosts, HostLossRun.RATE);
            for (int i = 1; i <= runs; i++) {
                String victim = c.hosts.hosts().get(i % hosts).id();
                HostLossRun.Result r = HostLossRun.measure(c, "hl" + i, victim, 2 * hosts, liveness);
                results.add(r);
                out.printf(Locale.ROOT, "run %d: %s killed (%d processes, its nodes %s): LOST after %.1f s (on the API "
                        + "%.1f s), replacements ONLINE after %.1f s, serving through the frontend after %.1f s; %d of "
                        + "%d client requests failed%s; load average %s%n", i, victim, r.killed(), r.moved(), r.lost(),
                        r.lostSeen(), r.online(), r.serving(), r.failed(), r.requests(),
                        r.failures().isEmpty() ? "" : " " + r.failures(), ChaosBench.loadAverage());
            }
        }
        return results;
    }

    private void summary(List<HostLossRun.Result> results, Duration liveness) {
        out.printf(Locale.ROOT, "host loss, %d runs, liveness %d ms: → LOST %s; → replacements ONLINE %s; → serving "
                + "through the frontend %s; %d of %d client requests failed%n", results.size(), liveness.toMillis(),
                spread(results, HostLossRun.Result::lost), spread(results, HostLossRun.Result::online),
                spread(results, HostLossRun.Result::serving), results.stream().mapToLong(HostLossRun.Result::failed)
                        .sum(), results.stream().mapToLong(HostLossRun.Result::requests).sum());
        double lost = median(results, HostLossRun.Result::lost);
        double serving = median(results, HostLossRun.Result::serving);
        out.printf(Locale.ROOT, "goal: detected ≤ %d s (median %.1f s: %s), replaced and serving ≤ %d s (median %.1f "
                + "s: %s)%n", GOAL_LOST.toSeconds(), lost, lost <= GOAL_LOST.toSeconds() ? "met" : "MISSED",
                GOAL_SERVING.toSeconds(), serving, serving <= GOAL_SERVING.toSeconds() ? "met" : "MISSED");
    }

    private static String spread(List<HostLossRun.Result> results, ToDoubleFunction<HostLossRun.Result> f) {
        List<Double> v = results.stream().map(f::applyAsDouble).toList();
        return String.format(Locale.ROOT, "median %.1f s (min %.1f, max %.1f)", BenchCommand.percentile(v, 50),
                Collections.min(v), Collections.max(v));
    }

    private static double median(List<HostLossRun.Result> results, ToDoubleFunction<HostLossRun.Result> f) {
        return BenchCommand.percentile(results.stream().map(f::applyAsDouble).toList(), 50);
    }
}
