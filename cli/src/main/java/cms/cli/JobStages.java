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

    /** One job's moments on the nanoTime scale (0: not seen yet) and its call's duration in ms (-1: unknown). */
    private static final class Stamps {
        volatile long due;
        volatile long accepted;
        volatile long runningAt;
        volatile long runningSeen;
        volatile long endAt;
        volatile long endSeen;
        volatile long callMs = -1;
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
        if (e instanceof JobEvent.JobRunning && s.runningSeen == 0) {
            s.runningAt = nano(e.at());
            s.runningSeen = seenNano;
        } else if (e.terminal() && s.endSeen == 0) {
            s.endAt = nano(e.at());
            s.endSeen = seenNano;
            if (e instanceof JobEvent.JobSucceeded ok) {
                s.callMs = ok.durationMs();
            }
        }
    }

    private long nano(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano() - epochToNano;
    }

    private Stamps stamps(String id) {
        return jobs.computeIfAbsent(id, k -> new Stamps());
    }

    /** The medians of each stage over the jobs whose id starts with {@code prefix} and that were seen to end. */
    String summary(String prefix) {
        List<Stamps> done = new ArrayList<>();
        jobs.forEach((id, s) -> {
            if (id.startsWith(prefix) && s.endSeen != 0 && s.runningSeen != 0 && s.accepted != 0) {
                done.add(s);
            }
        });
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
