package cms.nodedaemon.driver;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Docker's stats stream of one container (about one sample a second), turned into CPU use as a share
 * of the container's CPU limit, from the growth of its CPU time between two samples, and memory in use
 * without the page cache (as {@code docker stats} shows it).
 */
final class DockerStats extends ResultCallback.Adapter<Statistics> {

    private final double cpuLimit;
    private long lastCpuNanos = -1;
    private Instant lastRead;
    private volatile NodeUsage latest;

    private DockerStats(double cpuLimit) {
        this.cpuLimit = cpuLimit;
    }

    static DockerStats watch(DockerClient docker, String containerId, double cpuLimit) {
        return docker.statsCmd(containerId).exec(new DockerStats(cpuLimit));
    }

    @Override
    public void onNext(Statistics s) {
        if (s.getCpuStats() == null || s.getCpuStats().getCpuUsage() == null || s.getRead() == null) {
            return;
        }
        Long total = s.getCpuStats().getCpuUsage().getTotalUsage();
        Instant read = Instant.parse(s.getRead());
        if (total == null || read.getEpochSecond() <= 0) {
            return;
        }
        if (lastCpuNanos >= 0 && read.isAfter(lastRead)) {
            double wallNanos = java.time.Duration.between(lastRead, read).toNanos();
            double share = (total - lastCpuNanos) / (wallNanos * cpuLimit);
            latest = new NodeUsage(Math.max(0, share), memoryMb(s.getMemoryStats()));
        }
        lastCpuNanos = total;
        lastRead = read;
    }

    private static long memoryMb(MemoryStatsConfig m) {
        if (m == null || m.getUsage() == null) {
            return 0;
        }
        long bytes = m.getUsage();
        if (m.getStats() != null && m.getStats().getCache() != null) {
            bytes -= m.getStats().getCache();
        }
        return Math.max(0, bytes) / (1024 * 1024);
    }

    Optional<NodeUsage> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public void close() {
        try {
            super.close();
        } catch (IOException e) {
            // the stream is gone with its container
        }
    }
}
