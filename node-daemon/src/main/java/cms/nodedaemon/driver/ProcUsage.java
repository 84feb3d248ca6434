package cms.nodedaemon.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU and memory of a process from /proc: CPU time (user + system, in clock ticks of 1/100 s) between
 * two samples over the wall time between them, as a share of the node's CPU limit; memory is VmRSS.
 */
final class ProcUsage {

    private static final double TICKS_PER_SECOND = 100.0;

    private record Last(long ticks, long nanos) {
    }

    private final Map<String, Last> last = new ConcurrentHashMap<>();

    Optional<NodeUsage> sample(String node, long pid, double cpuLimit) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long now = System.nanoTime();
            long rssKb = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
            Last before = last.put(node, new Last(ticks, now));
            if (before == null || now <= before.nanos()) {
                return Optional.empty();
            }
            double cpuSeconds = (ticks - before.ticks()) / TICKS_PER_SECOND;
            double wallSeconds = (now - before.nanos()) / 1e9;
            return Optional.of(new NodeUsage(cpuSeconds / (wallSeconds * cpuLimit), rssKb / 1024));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void forget(String node) {
        last.remove(node);
    }
}
