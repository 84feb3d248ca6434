package cms.nodedaemon.driver;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import cms.nodedaemon.model.Backoff;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Docker's stats stream of one container (about one sample a second), turned into CPU use as a share
 * of the container's CPU limit, from the growth of its CPU time between two samples, and memory in use
 * without the page cache (as {@code docker stats} shows it). A stream that ends by itself while its container
 * still runs (the engine went away) is subscribed again by the driver after a back-off: {@link #dueAgain}.
 */
final class DockerStats extends ResultCallback.Adapter<Statistics> {

    private final double cpuLimit;
    private final Clock clock;
    private final int attempt;
    private long lastCpuNanos = -1;
    private Instant lastRead;
    private volatile NodeUsage latest;
    private volatile boolean closing;
    private volatile Instant endedAt;

    private DockerStats(double cpuLimit, Clock clock, int attempt) {
        this.cpuLimit = cpuLimit;
        this.clock = clock;
        this.attempt = attempt;
    }

    /** @param attempt how many streams of this container in a row ended before giving a sample */
    static DockerStats watch(DockerClient docker, String containerId, double cpuLimit, Clock clock, int attempt) {
        return docker.statsCmd(containerId).exec(new DockerStats(cpuLimit, clock, attempt));
    }

    /** The stream of a container that still runs: a new one when this one ended and the back-off has passed. */
    DockerStats again(DockerClient docker, String containerId, Backoff backoff) {
        Instant ended = endedAt;
        if (ended == null || clock.instant().isBefore(ended.plus(backoff.after(attempt + 1)))) {
            return this;
        }
        return watch(docker, containerId, cpuLimit, clock, latest == null ? attempt + 1 : 0);
    }

    @Override
    public void onError(Throwable error) {
        ended();
    }

    @Override
    public void onComplete() {
        ended();
    }

    private void ended() {
        if (!closing && endedAt == null) {
            endedAt = clock.instant();
        }
        close();
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

    /** The latest sample; none once the stream has ended (it would be stale). */
    Optional<NodeUsage> latest() {
        return endedAt == null ? Optional.ofNullable(latest) : Optional.empty();
    }

    @Override
    public void close() {
        closing = true;
        try {
            super.close();
        } catch (IOException e) {
            // the stream is gone with its container
        }
    }
}
