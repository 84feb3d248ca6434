package cms.web.model;

import cms.core.event.Event;
import cms.core.event.HostEvent;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.model.Cordon;
import cms.core.model.Pod;
import cms.core.model.Scheduling;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the dashboard shows, folded from the records the live view reads: the pods as the
 * compacted topic has them, each host's last heartbeat and cordon, per pod the samples of the window and its recent
 * decisions, node events and jobs, and the log of every event of the window for clients that resume.
 * Not thread-safe: one thread applies, readers take the same lock.
 */
public final class LiveState {

    private static final int RECENT_EVENTS = 1_000;

    private final String boot;
    private final long windowMillis;
    private final Map<String, Pod> pods = new TreeMap<>();
    private final Map<String, Views.HostView> hosts = new TreeMap<>();
    private final Map<String, Cordon> cordons = new HashMap<>();
    private final Map<String, PodBuffers> buffers = new HashMap<>();
    private final Ring<LiveEvent> recent = Ring.lastN(RECENT_EVENTS);
    private final EventLog log;
    private long seq;
    private long lastTs;

    /**
     * @param boot         this web process's id, the first part of every event id
     * @param windowMillis how much of the past the charts and the resume log keep (15 minutes)
     * @param logCapacity  the most events the resume log holds
     */
    public LiveState(String boot, long windowMillis, int logCapacity) {
        this.boot = boot;
        this.windowMillis = windowMillis;
        this.log = new EventLog(windowMillis, logCapacity);
    }

    public String boot() {
        return boot;
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** Folds one record in and numbers it; {@code json} is the event as the API writes it. */
    public LiveEvent apply(Kind kind, Event event, long ts, String json) {
        LiveEvent e = new LiveEvent(++seq, kind, Kind.podOf(event), ts, event, json);
        lastTs = ts;
        fold(event, e.pod());
        log.append(e);
        if (kind == Kind.NODES || kind == Kind.SCALING || kind == Kind.JOBS) {
            recent.add(e);
        }
        return e;
    }

    private void fold(Event event, String pod) {
        if (event instanceof PodsRecord.PodSnapshot s) {
            pods.put(s.pod().name(), s.pod());
            buffersOf(s.pod().name()).sized(s.pod(), s.at());
        } else if (event instanceof PodsRecord.CloudSnapshot c) {
            cordons.clear();
            c.cordons().forEach(cordon -> cordons.put(cordon.hostId(), cordon));
        } else if (event instanceof PodRemoved r) {
            pods.remove(r.pod());
            buffers.remove(r.pod());
        } else if (event instanceof HostEvent h) {
            hosts.put(h.hostId(), Views.HostView.of(h, hosts.get(h.hostId())));
        } else if (pod != null) { // a job that named no pod failed at the intake: it is listed, but of no pod
            PodBuffers b = buffersOf(pod);
            b.touched(event.at());
            if (event instanceof NodeEvent n) {
                b.nodeEvents.add(n);
            } else if (event instanceof ScalingDecision d) {
                b.decisions.add(d);
            } else if (event instanceof JobEvent j) {
                b.jobEvents.add(j);
                b.jobs.apply(j);
            } else if (event instanceof MetricSample.PodSample s) {
                b.podSamples.add(s);
            } else if (event instanceof MetricSample.NodeSample s) {
                b.add(s);
            } else if (event instanceof MetricSample.ServerSample s) {
                b.add(s);
            }
        }
    }

    private PodBuffers buffersOf(String pod) {
        return buffers.computeIfAbsent(pod, p -> new PodBuffers(windowMillis));
    }

    /**
     * Forgets what fell out of the window, and the buffers of pods that do not exist and have had no event
     * within it (events about pods never registered, such as jobs the intake refused, are shown for a window).
     */
    public void prune(Instant now) {
        log.prune(now.toEpochMilli());
        buffers.forEach((name, b) -> b.prune(now, pods.get(name)));
        Instant from = now.minusMillis(windowMillis);
        buffers.entrySet().removeIf(e -> !pods.containsKey(e.getKey()) && e.getValue().quietSince(from));
    }

    /** The id of the last event folded in: a client that starts from a snapshot resumes after it. */
    public String cursor() {
        return boot + "." + seq + "." + lastTs;
    }

    public String id(LiveEvent e) {
        return StreamCursor.id(boot, e);
    }

    public List<LiveEvent> replay(StreamCursor cursor, StreamFilter filter) {
        return log.replay(cursor, filter);
    }

    public int logSize() {
        return log.size();
    }

    /** How many pods the state keeps buffers for (those that exist, and those with events in the window). */
    int bufferedPods() {
        return buffers.size();
    }

    public boolean hasPod(String name) {
        return pods.containsKey(name);
    }

    public Views.Overview overview(Instant now) {
        List<Views.PodSummary> out = new ArrayList<>();
        for (Pod pod : pods.values()) {
            out.add(PodReadings.summary(pod, buffers.get(pod.name()), now));
        }
        Map<String, Scheduling> scheduling = Scheduling.forHosts(hosts.keySet(), cordons, pods.values());
        List<Views.HostView> hostViews = hosts.values().stream()
                .map(h -> h.scheduled(scheduling.get(h.hostId()).word())).toList();
        return new Views.Overview(cursor(), now, out, hostViews);
    }

    /** The pod page's data, or null when there is no such pod. */
    public Views.PodDetail pod(String name, Instant now) {
        Pod pod = pods.get(name);
        if (pod == null) {
            return null;
        }
        PodBuffers b = buffersOf(name);
        return new Views.PodDetail(cursor(), now, windowMillis, pod, PodReadings.nodeRows(pod, b),
                b.podSamples.toList(), PodReadings.utilisationSeries(b), b.sizes.toList(), b.decisions.toList(),
                b.nodeEvents.toList(), b.jobEvents.toList(), b.jobs.newestFirst(PodBuffers.JOBS));
    }

    /** The elasticity status of a pod, or null when there is no such pod. */
    public Views.ElasticityStatus elasticity(String name, Instant now) {
        Pod pod = pods.get(name);
        return pod == null ? null : PodReadings.elasticity(pod, buffersOf(name), now);
    }

    /**
     * Recent node, scaling and job events matching {@code filter}, oldest first, at most {@code limit}: the newest
     * ones, or, from a cursor ({@code after}, an event id as the stream's), the first ones after it, with the id the
     * next page starts after when more remain.
     */
    public Views.Events events(StreamFilter filter, StreamCursor after, int limit) {
        List<LiveEvent> all = recent.toList();
        List<LiveEvent> out = new ArrayList<>();
        if (after == null || after.live()) {
            for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
                if (filter.matches(all.get(i))) {
                    out.add(0, all.get(i));
                }
            }
            return new Views.Events(cursor(), out, null);
        }
        for (LiveEvent e : all) {
            if (after.wants(e) && filter.matches(e)) {
                if (out.size() == limit) {
                    return new Views.Events(cursor(), out, id(out.get(limit - 1)));
                }
                out.add(e);
            }
        }
        return new Views.Events(cursor(), out, null);
    }

    /** The newest events matching {@code filter}, at most {@code limit}. */
    public Views.Events events(StreamFilter filter, int limit) {
        return events(filter, null, limit);
    }
}
