package cms.cli;

import cms.core.event.JobEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Where a job's time goes in {@code cms bench jobs}: for each job, when it was due, when its submit was accepted, the
 * times the resource manager wrote on its RUNNING and terminal events ({@code at}), when the bench's read_committed
 * reader saw each, and the call's own duration. The events' times are the resource manager's clock, turned into this
 * process's {@code System.nanoTime} scale through one reading of both clocks (both processes run on this machine, so
 * only the millisecond of that reading separates them).
 */
final class JobStages {

    private final long epochToNano;
    private final Map<String, Stamps> jobs = new ConcurrentHashMap<>();

    JobStages() {
        this(System.currentTimeMillis() * 1_000_000L - System.nanoTime());
    }

    /** {@code epochToNano}: epoch nanoseconds minus {@code System.nanoTime()} at one moment. */
    JobStages(long epochToNano) {
        this.epochToNano = epochToNano;
    }

    /** A moment not seen yet (any long, 0 too, can be a System.nanoTime reading). */
    private static final long NONE = Long.MIN_VALUE;

    /** One job's moments on the nanoTime scale ({@link #NONE}: not yet); its call's duration in ms (-1: unknown). */
    private static final class Stamps {
        volatile long due = NONE;
        volatile long accepted = NONE;
        volatile long runningAt = NONE;
        volatile long runningSeen = NONE;
        volatile long endAt = NONE;
        volatile long endSeen = NONE;
        volatile long callMs = -1;
        volatile boolean succeeded;
    }

    void due(String id, long nano) {
        stamps(id).due = nano;
    }

    void accepted(String id, long nano) {
        stamps(id).accepted = nano;
    }

    /** A job event read at {@code seenNano}. */
    void seen(JobEvent e, long seenNano) {
        Stamps s = stamps(e.jobId());
        if (e instanceof JobEvent.JobRunning && s.runningSeen == NONE) {
            s.runningAt = nano(e.at());
            s.runningSeen = seenNano;
        } else if (e.terminal() && s.endSeen == NONE) {
            s.endAt = nano(e.at());
            s.endSeen = seenNano;
            if (e instanceof JobEvent.JobSucceeded ok) {
                s.callMs = ok.durationMs();
                s.succeeded = true;
            }
        }
    }

    private long nano(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano() - epochToNano;
    }

    private Stamps stamps(String id) {
        return jobs.computeIfAbsent(id, k -> new Stamps());
    }

    private List<Stamps> ended(String prefix) {
        List<Stamps> out = new ArrayList<>();
        jobs.forEach((id, s) -> {
            if (id.startsWith(prefix) && s.endSeen != NONE && s.due != NONE) {
                out.add(s);
            }
        });
        return out;
    }

    /** Due → terminal event read, in ms, of each job of {@code prefix} seen to end. */
    List<Double> latencies(String prefix) {
        return ended(prefix).stream().map(s -> (s.endSeen - s.due) / 1e6).toList();
    }

    /** When the last job of {@code prefix} seen to end was read (nanoTime), or {@code orElse}. */
    long lastEnd(String prefix, long orElse) {
        return ended(prefix).stream().mapToLong(s -> s.endSeen).max().orElse(orElse);
    }

    /** How many jobs of {@code prefix} ended other than SUCCEEDED. */
    long notSucceeded(String prefix) {
        return ended(prefix).stream().filter(s -> !s.succeeded).count();
    }

    /** The medians of each stage over the jobs whose id starts with {@code prefix} and that were seen to end. */
    String summary(String prefix) {
        List<Stamps> done = ended(prefix).stream().filter(s -> s.runningSeen != NONE && s.accepted != NONE).toList();
        if (done.isEmpty()) {
            return "stages: no job seen from submit to end";
        }
        return String.format(Locale.ROOT, "stages (median ms of %d jobs): due → submit accepted %.1f; due → RUNNING "
                + "written %.1f; RUNNING written → read %.1f; call %.1f; RUNNING written → terminal written %.1f; "
                + "terminal written → read %.1f", done.size(),
                median(done, s -> s.accepted - s.due), median(done, s -> s.runningAt - s.due),
                median(done, s -> s.runningSeen - s.runningAt), callMedian(done),
                median(done, s -> s.endAt - s.runningAt), median(done, s -> s.endSeen - s.endAt));
    }

    private static double median(List<Stamps> all, ToDoubleFunction<Stamps> nanos) {
        return BenchCommand.percentile(all.stream().map(s -> nanos.applyAsDouble(s) / 1e6).toList(), 50);
    }

    private static double callMedian(List<Stamps> all) {
        List<Double> ms = all.stream().filter(s -> s.callMs >= 0).map(s -> (double) s.callMs).toList();
        return ms.isEmpty() ? Double.NaN : BenchCommand.percentile(ms, 50);
    }
}
