package cms.cli;

import cms.core.event.JobEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code cms bench chaos}: a real CMS ({@link ChaosCluster}: the development broker and each service in a
 * process of its own) with a pod of {@value #SIZE} light nodes behind HAProxy, under a steady bounded load
 * ({@link ChaosLoad}), meets one fault after another: each of the resource manager, the node daemon and the
 * web SIGKILLed and started again at once by the bench (as a supervisor would), the broker away 10 s and
 * 90 s (and 5 min with {@code --long}), HAProxy SIGKILLed, a node killed behind CMS's back, and the Docker
 * engine restarted (only the one {@code test.sh} started). Each fault gets {@value #STEADY_S} s of steady
 * load before (and until the previous fault's jobs have ended) and after it; its row counts the client
 * requests that failed, its jobs (lost and ended twice from {@code job-events} read to the end once every
 * fault is over), the seconds from the fault's end until CMS converged, the processes' peak RSS, and the
 * restarts beyond the bench's own of what it killed.
 */
final class ChaosBench {

    static final String POD = "chaos";
    static final int SIZE = 2;
    private static final int STEADY_S = 5;
    private static final Duration CONVERGE_WITHIN = Duration.ofSeconds(120);
    private static final Duration DRAIN_WITHIN = Duration.ofSeconds(120);

    /** How a fault is done; returns the {@link System#nanoTime} at which it ended. */
    interface Injection {
        long inject() throws Exception;
    }

    /** One fault: its name, whether clients must not notice it, and how it is done. */
    record Fault(String name, boolean clientsMustNotFail, Injection how) {
    }

    private record Measured(String label, Fault fault, long[] requests, Double converged, Map<String, Long> rss,
                            List<String> restarts) {
    }

    private final PrintStream out;
    private final List<String> notes = new ArrayList<>();

    ChaosBench(PrintStream out) {
        this.out = out;
    }

    int run(boolean includeLong, String driverChoice, int requestsPerSecond, int jobsPerSecond) throws Exception {
        // the bench's own Kafka clients would warn on every reconnect while the broker is away
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        String driver = driverChoice != null ? driverChoice : dockerImageReady() ? "docker" : "process";
        try (ChaosCluster cms = ChaosCluster.start(driver)) {
            int port = BenchCommand.DevProcess.freePort();
            URI frontend = URI.create("http://127.0.0.1:" + port + "/");
            BenchApi api = new BenchApi(cms.api, cms.token);
            api.post("/api/pods", Map.of("name", POD, "workload", "light", "cpu", 0.5, "frontend_port", port));
            for (int i = 1; i <= SIZE; i++) {
                api.post("/api/pods/" + POD + "/nodes", Map.of("name", "c" + i));
                api.launch(POD);
                api.awaitOnline(POD, "c" + i);
            }
            BalancerBench.awaitServed(frontend, SIZE);
            out.printf(Locale.ROOT, "CMS in %s: broker and each service in a process of its own; pod %s of %d light "
                    + "nodes (%s driver) behind HAProxy; load: %d client GETs/s through the frontend, %d jobs/s (half "
                    + "HTTP, half Kafka)%n", cms.dir, POD, SIZE, driver, requestsPerSecond, jobsPerSecond);
            List<ChaosAccounting.Row> rows = measure(cms, frontend, faults(cms, includeLong), requestsPerSecond,
                    jobsPerSecond);
            Tables.print(out, ChaosAccounting.header(ChaosCluster.roleNames()), rows.stream()
                    .map(ChaosAccounting.Row::cells).toList());
            notes.forEach(n -> out.println("note: " + n));
            return rows.stream().allMatch(r -> r.missed().isEmpty()) ? 0 : 1;
        }
    }

    private List<ChaosAccounting.Row> measure(ChaosCluster cms, URI frontend, List<Fault> faults, int rps, int jps)
            throws Exception {
        List<Measured> measured = new ArrayList<>();
        Map<String, List<String>> terminals = new HashMap<>();
        List<ChaosAccounting.Row> rows = new ArrayList<>();
        try (JobEventsTap tap = new JobEventsTap(cms.bootstrap); PeakRss rss = new PeakRss(cms::pids);
             ChaosLoad load = ChaosLoad.start(cms.api, cms.token, frontend, cms.bootstrap, POD, rps, jps)) {
            String previous = "warmup";
            for (int i = 0; i < faults.size(); i++) {
                Fault f = faults.get(i);
                String label = "f" + (i + 1);
                load.phase(label);
                rss.reset();
                cms.takeRestarts();
                String before = previous;
                steady(cms, () -> load.ended(before, tap));
                long end = f.how().inject();
                Double converged = awaitConverged(cms, frontend, end);
                if (converged == null) {
                    cms.restartAllByHand("not converged within " + CONVERGE_WITHIN.toSeconds() + " s");
                    awaitConverged(cms, frontend, System.nanoTime());
                }
                steady(cms, () -> true);
                Measured m = new Measured(label, f, load.requests(), converged,
                        rss.peakMb(ChaosCluster.roleNames()), cms.takeRestarts());
                measured.add(m);
                out.printf(Locale.ROOT, "fault %d/%d %s: ended %s, %s; %d of %d client requests failed; load average "
                        + "%s%n", i + 1, faults.size(), f.name(), LocalTime.now().minusNanos(System.nanoTime() - end)
                        .truncatedTo(ChronoUnit.MILLIS), converged == null ? "NOT converged" : String.format(Locale.ROOT,
                        "converged %.1f s after", converged), m.requests()[1], m.requests()[0], loadAverage());
                previous = label;
            }
            load.phase("after");
            load.close();
            String last = previous;
            steady(cms, () -> load.ended(last, tap));
            for (Map.Entry<String, List<JobEvent>> e : tap.readAll().entrySet()) {
                terminals.put(e.getKey(), JobEventsTap.terminals(e.getValue()).stream()
                        .map(t -> t.getClass().getSimpleName()).toList());
            }
            for (Measured m : measured) {
                rows.add(new ChaosAccounting.Row(m.fault().name(), m.fault().clientsMustNotFail(), m.requests()[0],
                        m.requests()[1], ChaosAccounting.jobs(load.submitted(m.label()), load.accepted(), terminals),
                        m.converged(), m.rss(), m.restarts()));
            }
        }
        return rows;
    }

    /** Supervises for {@value #STEADY_S} s and until {@code done} (at most {@link #DRAIN_WITHIN}). */
    private static void steady(ChaosCluster cms, java.util.function.BooleanSupplier done) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < STEADY_S * 1_000_000_000L
                || (!done.getAsBoolean() && System.nanoTime() - start < DRAIN_WITHIN.toNanos())) {
            cms.supervise();
            Thread.sleep(100); // polling interval of the supervisor and the condition
        }
    }

    /** Seconds from {@code end} until CMS converged, or null when it did not within {@link #CONVERGE_WITHIN}. */
    private static Double awaitConverged(ChaosCluster cms, URI frontend, long end) throws InterruptedException {
        while (System.nanoTime() - end < CONVERGE_WITHIN.toNanos()) {
            cms.supervise();
            if (cms.converged(POD, SIZE, frontend)) {
                return (System.nanoTime() - end) / 1e9;
            }
            Thread.sleep(100); // polling interval of the measurement
        }
        return null;
    }

    private List<Fault> faults(ChaosCluster cms, boolean includeLong) throws Exception {
        List<Fault> faults = new ArrayList<>(List.of(
                killed(cms, "resource manager SIGKILL", ChaosCluster.Role.RM, false),
                killed(cms, "node daemon SIGKILL", ChaosCluster.Role.DAEMON, true),
                killed(cms, "web SIGKILL", ChaosCluster.Role.WEB, false),
                brokerAway(cms, Duration.ofSeconds(10)),
                brokerAway(cms, Duration.ofSeconds(90))));
        if (includeLong) {
            faults.add(brokerAway(cms, Duration.ofMinutes(5)));
        } else {
            notes.add("broker away 5 min left out (--long runs it)");
        }
        faults.add(new Fault("HAProxy SIGKILL", false, () -> {
            if (cms.killHaproxy() == 0) {
                throw new IllegalStateException("no HAProxy process of this CMS to kill");
            }
            return System.nanoTime();
        }));
        faults.add(new Fault("node " + (cms.driver.equals("docker") ? "container" : "process") + " killed", true,
                () -> {
                    cms.killNode("c1");
                    return System.nanoTime();
                }));
        Optional<OwnDockerEngine> engine = OwnDockerEngine.find();
        if (engine.isPresent() && cms.driver.equals("docker")) {
            faults.add(new Fault("Docker engine restart", false, () -> {
                engine.get().restart(Duration.ofSeconds(60));
                return System.nanoTime();
            }));
        } else {
            notes.add("Docker engine restart left out: " + (engine.isEmpty() ? "no engine started by test.sh ("
                    + OwnDockerEngine.PID_FILE + ")" : "the nodes are processes, not containers"));
        }
        return faults;
    }

    /** SIGKILL of one service, started again at once; the fault ends at the kill. */
    private Fault killed(ChaosCluster cms, String name, ChaosCluster.Role role, boolean clientsMustNotFail) {
        return new Fault(name, clientsMustNotFail, () -> {
            cms.kill(role);
            long end = System.nanoTime();
            cms.start(role);
            out.printf(Locale.ROOT, "  %s printed its ready line %.1f s after the kill%n", role.command,
                    (System.nanoTime() - end) / 1e9);
            return end;
        });
    }

    /** The broker SIGKILLed, kept away for {@code away}, started again; the fault ends when it is ready. */
    private static Fault brokerAway(ChaosCluster cms, Duration away) {
        String length = away.toMinutes() > 0 && away.toSecondsPart() == 0 ? away.toMinutes() + " min"
                : away.toSeconds() + " s";
        return new Fault("broker away " + length, false, () -> {
            cms.kill(ChaosCluster.Role.KAFKA);
            Thread.sleep(away.toMillis()); // the length of the outage, not a wait for a condition
            cms.start(ChaosCluster.Role.KAFKA);
            return System.nanoTime();
        });
    }

    /** The 1-minute load average of this machine (the box may be shared: it says how much CPU was left). */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static boolean dockerImageReady() {
        try {
            return ChaosCluster.exec("docker", "image", "inspect", "-f", "ok", "cms/workload:dev").strip().equals("ok");
        } catch (Exception e) {
            return false;
        }
    }
}
