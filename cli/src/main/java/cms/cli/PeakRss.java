package cms.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The peak resident memory of each process since the last {@link #reset}: the kernel's high-water mark
 * ({@code VmHWM} in {@code /proc/PID/status}) read every half second, after {@code reset} set it back to the
 * current RSS ({@code 5} written to {@code /proc/PID/clear_refs}). Read every half second, a process killed
 * meanwhile keeps its last figure.
 */
final class PeakRss implements AutoCloseable {

    private final Supplier<Map<String, Long>> pids;
    private final Map<String, Long> peakKb = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    PeakRss(Supplier<Map<String, Long>> pids) {
        this.pids = pids;
        sampler.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        pids.get().forEach((name, pid) -> {
            try {
                long kb = ChaosAccounting.peakRssKb(Files.readString(Path.of("/proc", String.valueOf(pid), "status")));
                peakKb.merge(name, kb, Math::max);
            } catch (IOException e) {
                // the process ended since the pids were taken: its last figure stands
            }
        });
    }

    /** Starts a new window: the high-water marks go back to each process's current RSS. */
    synchronized void reset() {
        peakKb.clear();
        pids.get().values().forEach(pid -> {
            try {
                Files.writeString(Path.of("/proc", String.valueOf(pid), "clear_refs"), "5");
            } catch (IOException e) {
                // not allowed or gone: the mark since the process started counts instead
            }
        });
        sample();
    }

    /** The peak of each named process in the window, in MB, in the order of {@code names} (0 if never seen). */
    Map<String, Long> peakMb(List<String> names) {
        sample();
        Map<String, Long> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, peakKb.getOrDefault(n, 0L) / 1024));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        sampler.shutdownNow();
        sampler.awaitTermination(5, TimeUnit.SECONDS);
    }
}
