package cms.rm.model;

import cms.core.event.Ids;
import cms.core.event.JobEvent;
import cms.core.event.JobStateRecord;
import cms.core.event.JobSubmission;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resource manager's jobs: those waiting in each pod's queue, those running, and the ids of those
 * that ended lately (so a job submitted twice runs once). It changes only by {@link #apply applying}
 * job events, the same ones the resource manager publishes on {@code job-events}, so reading that topic
 * from its start rebuilds it; or by {@link #restore restoring} each job from its newest {@code job-state} record
 * (see {@link JobStates}), which rebuilds the same book from what is alive and the window of ended ids. An ended id
 * pushed out of the window ({@code limits.history()}, oldest first) is reported once by {@link #takeForgotten}, so
 * that its {@code job-state} record is removed: a job id submitted again after that runs again. The decisions ({@link #submit}, {@link #dispatch}, {@link #answered},
 * {@link #abort}, {@link #recover}) change nothing: they return the events to publish, and the caller
 * applies them. A job never gets a second terminal event: every decision asks for a live job first.
 */
public final class JobBook {

    public enum Status { QUEUED, RUNNING, SUCCEEDED, FAILED, ABORTED }

    /** A job that has not ended. {@code attempt} is the attempt it waits for or runs. */
    public record Job(String id, String pod, JsonNode payload, Status status, int attempt, Instant notBefore,
                      Integer timeoutSeconds, String source, Instant queuedAt) {
    }

    /** What came back from one attempt. */
    public sealed interface Answer {
        /**
         * The workload answered with a success: its result. {@code resultBytes} is set when the answer was
         * over the limit and {@code result} holds only its first bytes, as text.
         */
        record Done(String node, JsonNode result, long durationMs, Long resultBytes) implements Answer {
            public Done(String node, JsonNode result, long durationMs) {
                this(node, result, durationMs, null);
            }
        }

        /** The job could not be sent at all (e.g. its pod's job path is not a valid URI): not retried. */
        record Undeliverable(String reason) implements Answer {
        }

        /** The workload itself answered with an error: not retried. */
        record Refused(String node, int status, String message) implements Answer {
        }

        /**
         * No answer from a node (refused or broken connection, the balancer had no server): retried elsewhere.
         * {@code noServer}: the balancer itself said it had no server up (503), so no node saw the job; such
         * a job keeps waiting for a node (a pod whose nodes are all restarting) for up to
         * {@link Limits#noServerWait} after it was queued, beyond its attempts.
         */
        record NodeFailure(String reason, boolean noServer) implements Answer {
            public NodeFailure(String reason) {
                this(reason, false);
            }
        }

        /** No answer within the job's time limit: not retried, since the work may have been done. */
        record TimedOut(Duration limit) implements Answer {
        }
    }

    /**
     * Limits of job handling. {@code maxQueuedPerPod} jobs may wait in one pod's queue and the payloads of
     * all jobs not ended may add up to {@code maxLiveBytes}: a submission over either fails at once
     * ("queue full"), so a paused pod and a flood cannot exhaust the resource manager's memory.
     */
    public record Limits(int perNode, int maxAttempts, Duration firstBackoff, int maxPayloadBytes,
                         int maxTimeoutSeconds, int history, int maxQueuedPerPod, long maxLiveBytes,
                         Duration noServerWait) {
        public static final int DEFAULT_MAX_QUEUED = cms.core.model.JobQueueLimit.DEFAULT;
        public static final long DEFAULT_MAX_LIVE_BYTES = 256L * 1024 * 1024;
        public static final Duration DEFAULT_NO_SERVER_WAIT = Duration.ofMinutes(5);
        /** The longest wait between two tries of a job whose pod had no server up. */
        public static final Duration MAX_NO_SERVER_BACKOFF = Duration.ofSeconds(5);
        public static final Limits DEFAULTS = new Limits(8, 5, Duration.ofMillis(250), 256 * 1024, 3600, 200_000);

        public Limits(int perNode, int maxAttempts, Duration firstBackoff, int maxPayloadBytes, int maxTimeoutSeconds,
                      int history) {
            this(perNode, maxAttempts, firstBackoff, maxPayloadBytes, maxTimeoutSeconds, history, DEFAULT_MAX_QUEUED,
                    DEFAULT_MAX_LIVE_BYTES);
        }

        public Limits(int perNode, int maxAttempts, Duration firstBackoff, int maxPayloadBytes, int maxTimeoutSeconds,
                      int history, int maxQueuedPerPod, long maxLiveBytes) {
            this(perNode, maxAttempts, firstBackoff, maxPayloadBytes, maxTimeoutSeconds, history, maxQueuedPerPod,
                    maxLiveBytes, DEFAULT_NO_SERVER_WAIT);
        }
    }

    private final Limits limits;
    private final Map<String, Job> live = new HashMap<>();
    private final Map<String, Integer> liveBytes = new HashMap<>();
    private long totalLiveBytes;
    private final Map<String, PodQueue> queues = new HashMap<>();
    private final Map<String, Set<String>> running = new HashMap<>();
    private final LinkedHashMap<String, Status> ended;
    /** Ended ids that left the window since {@link #takeForgotten} was last asked: their job-state tombstones. */
    private final List<String> forgotten = new ArrayList<>();

    public JobBook(Limits limits) {
        this.limits = limits;
        this.ended = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Status> eldest) {
                boolean out = size() > limits.history();
                if (out) {
                    forgotten.add(eldest.getKey());
                }
                return out;
            }
        };
    }

    public Limits limits() {
        return limits;
    }

    // ---- state -------------------------------------------------------------------------------------

    /** Applies one event; events about a job that already ended change nothing. */
    public void apply(JobEvent event) {
        String id = event.jobId();
        if (ended.containsKey(id)) {
            return;
        }
        Job before = live.get(id);
        if (event instanceof JobEvent.JobQueued q) {
            JsonNode payload = q.payload() != null ? q.payload() : before == null ? null : before.payload();
            Integer timeout = q.timeoutSeconds() != null ? q.timeoutSeconds()
                    : before == null ? null : before.timeoutSeconds();
            String source = q.source() != null ? q.source() : before == null ? null : before.source();
            Instant queuedAt = before == null ? q.at() : before.queuedAt();
            forget(id, before);
            live.put(id, new Job(id, q.pod(), payload, Status.QUEUED, q.attemptOrFirst(), q.notBefore(), timeout,
                    source, queuedAt));
            if (before == null) {
                int bytes = payload == null ? 0 : payload.toString().length();
                liveBytes.put(id, bytes);
                totalLiveBytes += bytes;
            }
            queues.computeIfAbsent(q.pod(), p -> new PodQueue()).add(id, q.attemptOrFirst() > 1);
        } else if (event instanceof JobEvent.JobRunning r) {
            if (before == null) {
                return;
            }
            forget(id, before);
            live.put(id, new Job(id, before.pod(), before.payload(), Status.RUNNING, r.attempt(), null,
                    before.timeoutSeconds(), before.source(), before.queuedAt()));
            running.computeIfAbsent(before.pod(), p -> new LinkedHashSet<>()).add(id);
        } else {
            forget(id, before);
            live.remove(id);
            Integer bytes = liveBytes.remove(id);
            if (bytes != null) {
                totalLiveBytes -= bytes;
            }
            ended.put(id, event instanceof JobEvent.JobSucceeded ? Status.SUCCEEDED
                    : event instanceof JobEvent.JobFailed ? Status.FAILED : Status.ABORTED);
        }
    }

    /**
     * Restores one job from its {@code job-state} record (the newest of its key), as {@link #apply applying} the
     * events that led to it would have. Ended jobs are restored oldest first, so that the window forgets the
     * oldest first; live ones in the order they last changed, so that each queue keeps its order.
     *
     * @throws IllegalArgumentException for a record whose status does not fit its kind
     */
    public void restore(JobStateRecord record) {
        String id = record.jobId();
        Job before = live.remove(id);
        forget(id, before);
        Integer oldBytes = liveBytes.remove(id);
        if (oldBytes != null) {
            totalLiveBytes -= oldBytes;
        }
        ended.remove(id);
        if (record instanceof JobStateRecord.EndedJob e) {
            Status end = Status.valueOf(e.status().name());
            if (end == Status.QUEUED || end == Status.RUNNING) {
                throw new IllegalArgumentException("EndedJob " + id + " with status " + end);
            }
            ended.put(id, end);
            return;
        }
        JobStateRecord.LiveJob l = (JobStateRecord.LiveJob) record;
        Status status = Status.valueOf(l.status().name());
        if (status != Status.QUEUED && status != Status.RUNNING) {
            throw new IllegalArgumentException("LiveJob " + id + " with status " + status);
        }
        live.put(id, new Job(id, l.pod(), l.payload(), status, l.attempt(), l.notBefore(), l.timeoutSeconds(),
                l.source(), l.queuedAt()));
        int bytes = l.payload() == null ? 0 : l.payload().toString().length();
        liveBytes.put(id, bytes);
        totalLiveBytes += bytes;
        if (status == Status.QUEUED) {
            queues.computeIfAbsent(l.pod(), p -> new PodQueue()).add(id, l.attempt() > 1);
        } else {
            running.computeIfAbsent(l.pod(), p -> new LinkedHashSet<>()).add(id);
        }
    }

    /** The ended ids that left the idempotency window since the last call (each once): tombstones to write. */
    public List<String> takeForgotten() {
        if (forgotten.isEmpty()) {
            return List.of();
        }
        List<String> out = List.copyOf(forgotten);
        forgotten.clear();
        return out;
    }

    /** The ended ids in the window, oldest first, with their ends (for tests and the state topic's seed). */
    public Map<String, Status> endedInWindow() {
        return java.util.Collections.unmodifiableMap(ended);
    }

    private void forget(String id, Job job) {
        if (job == null) {
            return;
        }
        if (job.status() == Status.QUEUED) {
            PodQueue q = queues.get(job.pod());
            if (q != null) {
                q.remove(id);
            }
        } else {
            Set<String> set = running.get(job.pod());
            if (set != null) {
                set.remove(id);
            }
        }
    }

    /**
     * One pod's waiting jobs: those to be tried again after a node failed them come first (each in the
     * order it came back), then new ones in the order they came.
     */
    private static final class PodQueue {
        final Set<String> retries = new LinkedHashSet<>();
        final Set<String> fresh = new LinkedHashSet<>();

        void add(String id, boolean retry) {
            (retry ? retries : fresh).add(id);
        }

        void remove(String id) {
            if (!retries.remove(id)) {
                fresh.remove(id);
            }
        }

        int size() {
            return retries.size() + fresh.size();
        }

        boolean isEmpty() {
            return size() == 0;
        }

        /** Read lazily: a dispatch that stops after the first few reads no further. */
        Iterable<String> inOrder() {
            return () -> java.util.stream.Stream.concat(retries.stream(), fresh.stream()).iterator();
        }
    }

    public Optional<Job> live(String id) {
        return Optional.ofNullable(live.get(id));
    }

    /** QUEUED or RUNNING for a live job, the end for a job that ended lately, empty for an unknown one. */
    public Optional<Status> status(String id) {
        Job job = live.get(id);
        return job != null ? Optional.of(job.status()) : Optional.ofNullable(ended.get(id));
    }

    public int queued(String pod) {
        PodQueue q = queues.get(pod);
        return q == null ? 0 : q.size();
    }

    public int running(String pod) {
        Set<String> r = running.get(pod);
        return r == null ? 0 : r.size();
    }

    /** Pods that have or had jobs in this book (queue or running set), for the queue-depth samples. */
    public Set<String> podsWithJobs() {
        Set<String> pods = new LinkedHashSet<>(queues.keySet());
        pods.addAll(running.keySet());
        return pods;
    }

    /** The payload bytes of all jobs not ended (as counted against {@code maxLiveBytes}). */
    public long liveBytes() {
        return totalLiveBytes;
    }

    /** Every job not ended, in no order. */
    public List<Job> liveJobs() {
        return List.copyOf(live.values());
    }

    public List<Job> runningJobs() {
        return live.values().stream().filter(j -> j.status() == Status.RUNNING).toList();
    }

    // ---- decisions ---------------------------------------------------------------------------------

    /**
     * A submission: QUEUED, or FAILED with the reason when it names no pod of the cloud, its payload is
     * over the limit or its time limit is out of range; nothing when the job id is already known.
     */
    public Optional<JobEvent> submit(JobSubmission.JobSubmitted s, int payloadBytes, String source, CloudState cloud,
                                     Instant now) {
        if (status(s.jobId()).isPresent()) {
            return Optional.empty();
        }
        String reason = null;
        if (s.pod() == null || s.pod().isBlank()) {
            reason = "pod: missing";
        } else if (cloud.pod(s.pod()).isEmpty()) {
            reason = Refusal.unknownPod(s.pod()).message();
        } else if (payloadBytes > limits.maxPayloadBytes()) {
            reason = "payload: " + payloadBytes + " bytes, over the limit of " + limits.maxPayloadBytes();
        } else if (s.timeoutSeconds() != null
                && (s.timeoutSeconds() < 1 || s.timeoutSeconds() > limits.maxTimeoutSeconds())) {
            reason = "timeoutSeconds: " + s.timeoutSeconds() + " is not within 1.." + limits.maxTimeoutSeconds();
        } else if (queued(s.pod()) >= limits.maxQueuedPerPod()) {
            reason = "queue full: " + queued(s.pod()) + " jobs wait for pod '" + s.pod() + "' (the limit is "
                    + limits.maxQueuedPerPod() + ")";
        } else if (totalLiveBytes + payloadBytes > limits.maxLiveBytes()) {
            reason = "queue full: the payloads of the jobs not ended take " + totalLiveBytes + " bytes (the limit is "
                    + limits.maxLiveBytes() + ")";
        }
        if (reason != null) {
            return Optional.of(new JobEvent.JobFailed(Ids.next(), 1, now, s.jobId(), s.pod(), reason, null, null));
        }
        return Optional.of(new JobEvent.JobQueued(Ids.next(), 1, now, s.jobId(), s.pod(), s.payload(), 1, null, null,
                s.timeoutSeconds(), source, s.at()));
    }

    /**
     * Jobs to send now, retries first, then the oldest: per pod that exists, is not paused and has a frontend, as many as
     * its ONLINE nodes can take ({@code perNode} each) minus those running; jobs waiting for a retry are
     * passed over until their time. Jobs of pods that no longer exist fail.
     */
    public List<JobEvent> dispatch(CloudState cloud, Instant now) {
        return dispatch(cloud, now, 1);
    }

    /**
     * {@link #dispatch(CloudState, Instant)} with {@code ahead} times as many jobs RUNNING per pod as its nodes
     * take at once: the dispatcher holds those beyond its free slots and sends each as soon as a call ends, so
     * the slots do not wait for the next transaction.
     */
    public List<JobEvent> dispatch(CloudState cloud, Instant now, int ahead) {
        List<JobEvent> out = new ArrayList<>();
        for (Map.Entry<String, PodQueue> e : queues.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Optional<Pod> pod = cloud.pod(e.getKey());
            if (pod.isEmpty()) {
                for (String id : e.getValue().inOrder()) {
                    out.add(new JobEvent.JobFailed(Ids.next(), 1, now, id, e.getKey(),
                            "pod '" + e.getKey() + "' was removed before the job ran", null, null));
                }
                continue;
            }
            Pod p = pod.get();
            if (p.paused() || p.frontendPort() == null) {
                continue;
            }
            long free = slots(p) * (long) ahead - running(p.name());
            for (String id : e.getValue().inOrder()) {
                if (free <= 0) {
                    break;
                }
                Job job = live.get(id);
                if (job.notBefore() != null && job.notBefore().isAfter(now)) {
                    continue;
                }
                out.add(new JobEvent.JobRunning(Ids.next(), 1, now, id, p.name(), null, job.attempt()));
                free--;
            }
        }
        return out;
    }

    /** How many of the pod's jobs its nodes run at once: ONLINE nodes × jobs per node. */
    public int slots(Pod pod) {
        return (int) Math.min(Integer.MAX_VALUE, pod.count(NodeState.ONLINE) * (long) limits.perNode());
    }

    /**
     * What an attempt's answer means: SUCCEEDED; FAILED when the workload refused it or it timed out;
     * QUEUED again for the next attempt (after a back-off that doubles) when no node answered, or FAILED
     * once the attempts are used up. Nothing when the job is no longer running that attempt (it was
     * aborted, or this is an answer from before a restart).
     */
    public Optional<JobEvent> answered(String jobId, int attempt, Answer answer, Instant now) {
        Job job = live.get(jobId);
        if (job == null || job.status() != Status.RUNNING || job.attempt() != attempt) {
            return Optional.empty();
        }
        String pod = job.pod();
        if (answer instanceof Answer.Done d) {
            return Optional.of(new JobEvent.JobSucceeded(Ids.next(), 1, now, jobId, pod, d.node(), d.result(),
                    d.durationMs(), attempt, d.resultBytes()));
        } else if (answer instanceof Answer.Undeliverable u) {
            return Optional.of(new JobEvent.JobFailed(Ids.next(), 1, now, jobId, pod, "could not be sent: "
                    + u.reason(), null, attempt));
        } else if (answer instanceof Answer.Refused r) {
            return Optional.of(new JobEvent.JobFailed(Ids.next(), 1, now, jobId, pod, "the workload"
                    + (r.node() == null ? "" : " on node " + r.node()) + " answered " + r.status()
                    + (r.message() == null || r.message().isBlank() ? "" : ": " + r.message()), r.node(), attempt));
        } else if (answer instanceof Answer.TimedOut t) {
            return Optional.of(new JobEvent.JobFailed(Ids.next(), 1, now, jobId, pod,
                    "no answer within " + t.limit().toSeconds() + " s", null, attempt));
        }
        Answer.NodeFailure failure = (Answer.NodeFailure) answer;
        String reason = failure.reason();
        // no node saw it: it may wait for one (a pod whose nodes all restart) as long as noServerWait allows
        boolean mayWait = failure.noServer() && job.queuedAt() != null
                && now.isBefore(job.queuedAt().plus(limits.noServerWait()));
        if (attempt >= limits.maxAttempts() && !mayWait) {
            return Optional.of(new JobEvent.JobFailed(Ids.next(), 1, now, jobId, pod,
                    "gave up after " + attempt + " attempts; the last: " + reason, null, attempt));
        }
        Duration backoff = limits.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 6));
        if (failure.noServer() && backoff.compareTo(Limits.MAX_NO_SERVER_BACKOFF) > 0) {
            backoff = Limits.MAX_NO_SERVER_BACKOFF;
        }
        return Optional.of(new JobEvent.JobQueued(Ids.next(), 1, now, jobId, pod, null, attempt + 1,
                "attempt " + attempt + " failed (" + reason + "); retrying in " + backoff.toMillis() + " ms",
                now.plus(backoff), null, null));
    }

    /** ABORTED for a live job; 404 for an unknown id, 409 for a job that already ended. */
    public JobEvent abort(String jobId, String reason, Instant now) {
        Job job = live.get(jobId);
        if (job == null) {
            Status end = ended.get(jobId);
            if (end == null) {
                throw Rejection.of(Refusal.unknownJob("id", jobId));
            }
            throw Rejection.conflict("job '" + jobId + "' already ended " + end);
        }
        return new JobEvent.JobAborted(Ids.next(), 1, now, jobId, job.pod(),
                reason == null || reason.isBlank() ? "aborted by request" : reason);
    }

    /**
     * After a restart (or a transaction that could not be committed): jobs the book says are running
     * but that no call of this process is running go back to the queue for another attempt, or FAILED
     * once their attempts are used up (a job whose attempts kill the resource manager cannot do it for
     * ever). A job may so run twice on the workload; it still ends once.
     */
    public List<JobEvent> recover(Set<String> inFlight, Instant now) {
        List<JobEvent> out = new ArrayList<>();
        for (Job job : live.values()) {
            if (job.status() == Status.RUNNING && !inFlight.contains(job.id()) && job.attempt() >= limits.maxAttempts()) {
                out.add(new JobEvent.JobFailed(Ids.next(), 1, now, job.id(), job.pod(), "gave up after " + job.attempt()
                        + " attempts; the last was cut short by a restart of the resource manager", null, job.attempt()));
            } else if (job.status() == Status.RUNNING && !inFlight.contains(job.id())) {
                out.add(new JobEvent.JobQueued(Ids.next(), 1, now, job.id(), job.pod(), null, job.attempt() + 1,
                        "attempt " + job.attempt() + " was cut short by a restart of the resource manager", null,
                        null, null));
            }
        }
        return out;
    }
}
