package cms.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cms bench launch}: time from {@code POST …/launch} until the node is ONLINE, for nodes launched
 * one after another on one driver; then, with all of them running, the node daemon's own CPU and
 * memory (the daemon runs as its own process, so /proc tells them apart from the rest of CMS).
 */
final class LaunchBench {

    private final PrintStream out;

    LaunchBench(PrintStream out) {
        this.out = out;
    }

    int run(String driver, int nodes) throws Exception {
        try (BenchCommand.DevProcess dev = BenchCommand.DevProcess.start(List.of("--no-node-daemon"), Map.of())) {
            Path nodeDir = dev.dir.resolve("nodes");
            ProcessBuilder pb = new ProcessBuilder(BenchCommand.DevProcess.javaCommand("node-daemon"))
                    .redirectErrorStream(true).redirectOutput(dev.dir.resolve("daemon.log").toFile());
            pb.environment().putAll(Map.of("CMS_KAFKA", dev.kafka, "CMS_HOST_ID", "bench-host", "CMS_NODE_DRIVER",
                    driver, "CMS_NODE_DIR", nodeDir.toString(), "CMS_JOIN_TOKEN",
                    InstallTokens.join(new cms.core.kafka.KafkaSettings(dev.kafka), "bench-host")));
            Process daemon = pb.start();
            try {
                BenchApi api = new BenchApi(dev.url, dev.token);
                api.post("/api/pods", Map.of("name", "bench", "workload", "light", "node_limit", nodes));
                List<Double> seconds = new ArrayList<>();
                for (int i = 1; i <= nodes; i++) {
                    api.post("/api/pods/bench/nodes", Map.of("name", "b" + i));
                    api.launch("bench");
                    long t0 = System.nanoTime();
                    api.awaitOnline("bench", "b" + i);
                    seconds.add((System.nanoTime() - t0) / 1e9);
                }
                out.printf(Locale.ROOT, "driver %s: launch -> ONLINE over %d nodes: median %.2f s, p95 %.2f s, max %.2f s%n",
                        driver, nodes, BenchCommand.percentile(seconds, 50), BenchCommand.percentile(seconds, 95),
                        Collections.max(seconds));
                daemonUse(daemon.pid(), nodes, driver);
                api.delete("/api/pods/bench?force=true");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline && !leftovers(driver, nodeDir).isEmpty()) {
                    daemon.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            } finally {
                daemon.destroy();
                daemon.waitFor();
            }
        }
        return 0;
    }

    private void daemonUse(long pid, int nodes, String driver) throws Exception {
        long ticks0 = ticks(pid);
        long t0 = System.nanoTime();
        Thread.sleep(10_000); // a measurement window, not a wait for a condition
        double cpu = (ticks(pid) - ticks0) / 100.0 / ((System.nanoTime() - t0) / 1e9);
        long rssKb = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                .orElse(0L);
        out.printf(Locale.ROOT, "driver %s: node daemon with %d nodes running, over 10 s: %.3f cores, RSS %d MB%n",
                driver, nodes, cpu, rssKb / 1024);
    }

    private static long ticks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private List<String> leftovers(String driver, Path nodeDir) throws Exception {
        if (driver.equals("process")) {
            try (var files = Files.list(nodeDir)) {
                return files.map(Path::toString).filter(f -> f.endsWith(".properties")).toList();
            } catch (java.nio.file.NoSuchFileException e) {
                return List.of();
            }
        }
        Process p = new ProcessBuilder("docker", "ps", "-aq", "--filter", "label=cms.host=bench-host").start();
        String ids = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return ids.isEmpty() ? List.of() : List.of(ids.split("\\s+"));
    }
}
