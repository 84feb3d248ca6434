package cms.web.model;

import cms.core.event.HostEvent;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.event.ScalingDecision;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Node;
import cms.core.model.Pod;
import cms.web.jobs.JobView;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the pages and the API show, as JSON: immutable snapshots of the live state. */
public final class Views {

    private Views() {
    }

    /** The overview page: every pod and host. {@code cursor} is the id of the last event folded in. */
    public record Overview(String cursor, Instant now, List<PodSummary> pods, List<HostView> hosts) {
    }

    /**
     * A pod on the overview. Traffic comes from the balancer's last sample, {@code jobsQueued} and
     * {@code jobsRunning} from the resource manager's (source {@code rm}); each is null when no such sample
     * is current.
     */
    public record PodSummary(String name, String workload, boolean paused, Map<String, Long> nodes,
                             List<String> onlineNodes, ElasticityPolicy elasticity, Integer frontendPort, Double requestsPerSecond,
                             Double p95Ms, Double meanResponseMs, Integer jobsQueued, Integer jobsRunning,
                             Double utilisation) {
    }

    /**
     * A host as its last heartbeat showed it; {@code lost} once the resource manager declared it lost;
     * {@code scheduling} whether it takes new nodes ({@link cms.core.model.Scheduling#word()}: ok, cordoned,
     * draining (N left), drained), filled in when the overview is taken.
     */
    public record HostView(String hostId, String address, double cpuCores, long memoryMb, double cpuUsed,
                           long memoryUsedMb, Instant lastSeen, boolean lost, String reason, String scheduling) {

        static HostView of(HostEvent e, HostView before) {
            if (e instanceof HostEvent.HostHeartbeat h) {
                return new HostView(h.hostId(), h.address(), h.cpuCores(), h.memoryMb(), h.cpuUsed(),
                        h.memoryUsedMb(), h.at(), false, null, null);
            } else if (e instanceof HostEvent.HostJoined j) {
                return new HostView(j.hostId(), j.address(), j.cpuCores(), j.memoryMb(),
                        before == null ? 0 : before.cpuUsed(), before == null ? 0 : before.memoryUsedMb(), j.at(),
                        false, null, null);
            }
            HostEvent.HostLost l = (HostEvent.HostLost) e;
            return before == null ? new HostView(l.hostId(), null, 0, 0, 0, 0, l.at(), true, l.reason(), null)
                    : new HostView(before.hostId(), before.address(), before.cpuCores(), before.memoryMb(),
                    before.cpuUsed(), before.memoryUsedMb(), before.lastSeen(), true, l.reason(), null);
        }

        HostView scheduled(String word) {
            return new HostView(hostId, address, cpuCores, memoryMb, cpuUsed, memoryUsedMb, lastSeen, lost, reason,
                    word);
        }
    }

    /** One node of a pod with what its last samples say. */
    public record NodeRow(Node node, Double cpuShare, Long memoryMb, Double requestsPerSecond, Integer sessions,
                          String balancerStatus) {
    }

    /** Mean CPU share of a pod's node samples within one second. */
    public record UtilisationPoint(Instant at, double value) {
    }

    /**
     * The pod page: its nodes, policy, samples and node counts over the window, recent decisions, events,
     * and its recent jobs newest first, each as the job API shows it.
     */
    public record PodDetail(String cursor, Instant now, long windowMillis, Pod pod, List<NodeRow> nodes,
                            List<MetricSample.PodSample> podSamples, List<UtilisationPoint> utilisation,
                            List<SizePoint> sizes, List<ScalingDecision> decisions, List<NodeEvent> nodeEvents,
                            List<JobEvent> jobEvents, List<JobView> jobs) {
    }

    /**
     * {@code cloud elasticity status}: the policy, the current value of its metric as the dashboard
     * computes it, ONLINE and STARTING nodes, the size the last decision asked for, the last decisions.
     */
    public record ElasticityStatus(String pod, ElasticityPolicy policy, String metric, Double value, long online,
                                   long starting, long nodes, Integer target, List<ScalingDecision> decisions,
                                   List<NodeRestart> restarting) {
    }

    /**
     * A FAILED node waiting for its restart: restarts so far, when the next is due and in how many seconds
     * (0 when due and waiting for a host with room), and the reason ("exited with code 1; restart 4 in 80 s").
     */
    public record NodeRestart(String node, int restarts, Instant restartAt, long inSeconds, String reason) {

        /** The node's restart, or null when it is not a FAILED node waiting for one. */
        static NodeRestart of(Node n, Instant now) {
            if (n.state() != cms.core.model.NodeState.FAILED || n.restartAt() == null || n.removing()) {
                return null;
            }
            long millis = Math.max(0, n.restartAt().toEpochMilli() - now.toEpochMilli());
            return new NodeRestart(n.name(), n.restartCount(), n.restartAt(), (millis + 999) / 1000, n.reason());
        }
    }

    /**
     * The events page: recent node, scaling and job events, oldest first; {@code next}, when more follow this page,
     * is the {@code after} of the next (answered beside the data, as every list's {@code next}).
     */
    public record Events(String cursor, List<LiveEvent> events, @JsonIgnore String next) {
    }
}
