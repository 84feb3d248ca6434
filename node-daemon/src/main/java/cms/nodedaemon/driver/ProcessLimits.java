package cms.nodedaemon.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CPU and memory limits for process nodes through cgroups (v1 {@code cpu} and {@code memory}
 * controllers, or v2), where this machine lets the daemon write them; otherwise it says so once in the
 * log and the processes run without limits.
 */
final class ProcessLimits {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessLimits.class);
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private final AtomicBoolean warned = new AtomicBoolean();

    /** Puts {@code pid} under limits; returns false (and logs why, once) when cgroups cannot be used. */
    boolean apply(String node, long pid, double cpus, int memoryMb) {
        long quota = Math.round(cpus * 100_000);
        long bytes = memoryMb * 1024L * 1024L;
        try {
            if (Files.isDirectory(ROOT.resolve("cpu")) && Files.isDirectory(ROOT.resolve("memory"))) {
                Path cpu = Files.createDirectories(ROOT.resolve("cpu/cms").resolve(node));
                Files.writeString(cpu.resolve("cpu.cfs_period_us"), "100000");
                Files.writeString(cpu.resolve("cpu.cfs_quota_us"), String.valueOf(quota));
                Files.writeString(cpu.resolve("cgroup.procs"), String.valueOf(pid));
                Path mem = Files.createDirectories(ROOT.resolve("memory/cms").resolve(node));
                Files.writeString(mem.resolve("memory.limit_in_bytes"), String.valueOf(bytes));
                Files.writeString(mem.resolve("cgroup.procs"), String.valueOf(pid));
            } else if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
                Path dir = Files.createDirectories(ROOT.resolve("cms").resolve(node));
                Files.writeString(dir.resolve("cpu.max"), quota + " 100000");
                Files.writeString(dir.resolve("memory.max"), String.valueOf(bytes));
                Files.writeString(dir.resolve("cgroup.procs"), String.valueOf(pid));
            } else {
                throw new IOException("no cgroup file system at " + ROOT);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("process nodes run without CPU and memory limits: cgroups cannot be used here ({})",
                        e.toString());
            }
            return false;
        }
    }

    /** Removes the node's cgroups after its process is gone. */
    void remove(String node) {
        for (Path p : new Path[]{ROOT.resolve("cpu/cms").resolve(node), ROOT.resolve("memory/cms").resolve(node),
            ROOT.resolve("cms").resolve(node)}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException e) {
                LOG.debug("cgroup {} not removed: {}", p, e.toString());
            }
        }
    }
}
