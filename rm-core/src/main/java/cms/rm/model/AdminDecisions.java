package cms.rm.model;

import cms.core.event.AdminRequest;
import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.model.ElasticityPolicy;
import cms.core.model.Host;
import cms.core.model.ImageAllowList;
import cms.core.model.Node;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.Workload;
import cms.rm.model.Outcome.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies one admin request to the cloud state: a pure function of (state, request, now). A refused
 * request leaves the state as it was and carries the reason in its reply.
 */
public final class AdminDecisions {

    /** The first frontend port CMS gives a pod when none is chosen (the original system used 5000-5002). */
    public static final int DEFAULT_FRONTEND_BASE = 5000;

    private final Placement placement;
    private final int frontendBase;
    private final ImageAllowList images;
    private final HostDecisions hosts;

    public AdminDecisions(Placement placement) {
        this(placement, DEFAULT_FRONTEND_BASE, ImageAllowList.all());
    }

    /** {@code images}: the images a pod may be registered with (others are refused with 403). */
    public AdminDecisions(Placement placement, int frontendBase, ImageAllowList images) {
        this(placement, frontendBase, images, HostDrains.DEFAULT_SETTLE);
    }

    /** {@code settle}: how long a drain's replacement is ONLINE before the node it replaces is drained. */
    public AdminDecisions(Placement placement, int frontendBase, ImageAllowList images, java.time.Duration settle) {
        this.placement = placement;
        this.frontendBase = frontendBase;
        this.images = images;
        this.hosts = new HostDecisions(placement, settle);
    }

    public Outcome decide(CloudState state, AdminRequest request, Instant now) {
        try {
            return apply(state, request, now);
        } catch (Rejection rejection) {
            return Outcome.unchanged(state, Reply.rejected(rejection));
        }
    }

    private Outcome apply(CloudState state, AdminRequest request, Instant now) {
        if (request instanceof AdminRequest.InitCloud) {
            return init(state, now);
        } else if (request instanceof AdminRequest.RegisterPod r) {
            return registerPod(state, r, now);
        } else if (request instanceof AdminRequest.RemovePod r) {
            return removePod(state, r, now);
        } else if (request instanceof AdminRequest.ListPods r) {
            return ListPages.pods(state, r);
        } else if (request instanceof AdminRequest.GetPod r) {
            return Outcome.unchanged(state, Reply.of(200, "pod " + r.pod(), state.requirePod(r.pod())));
        } else if (request instanceof AdminRequest.RegisterNode r) {
            return registerNode(state, r, now);
        } else if (request instanceof AdminRequest.RemoveNode r) {
            return NodeRemoval.remove(state, r.pod(), r.node(), now);
        } else if (request instanceof AdminRequest.Launch r) {
            return launch(state, r, now);
        } else if (request instanceof AdminRequest.ListNodes r) {
            return ListPages.nodes(state, r);
        } else if (request instanceof AdminRequest.Pause r) {
            return pause(state, r.pod(), true);
        } else if (request instanceof AdminRequest.Resume r) {
            return pause(state, r.pod(), false);
        } else if (request instanceof AdminRequest.EnableElasticity r) {
            return enable(state, r);
        } else if (request instanceof AdminRequest.DisableElasticity r) {
            Pod pod = state.requirePod(r.pod());
            return Outcome.pod(state, pod.withElasticity(pod.elasticity().disable()), Reply.of(200,
                    "elasticity disabled on pod " + pod.name() + "; its nodes stay as they are", null), List.of());
        } else if (request instanceof AdminRequest.SetThreshold r) {
            return threshold(state, r);
        }
        return host(state, request, now);
    }

    private Outcome host(CloudState state, AdminRequest request, Instant now) {
        if (request instanceof AdminRequest.ListHosts) {
            return hosts.list(state);
        } else if (request instanceof AdminRequest.CordonHost r) {
            return hosts.cordon(state, r.hostId(), now);
        } else if (request instanceof AdminRequest.UncordonHost r) {
            return hosts.uncordon(state, r.hostId());
        } else if (request instanceof AdminRequest.DrainHost r) {
            return hosts.drain(state, r.hostId(), now);
        }
        throw new IllegalArgumentException("unhandled request type " + request.getClass().getSimpleName());
    }

    private Outcome init(CloudState state, Instant now) {
        if (state.initialised()) {
            throw Rejection.conflict("cloud already initialised at " + state.initialisedAt());
        }
        CloudState next = state.withInitialisedAt(now);
        List<Pod> created = new ArrayList<>();
        for (Workload.Builtin kind : Workload.Builtin.values()) {
            if (state.pod(kind.word()).isEmpty()) {
                Pod pod = newPod(kind.word(), Workload.builtin(kind), Pod.DEFAULT_CPU, Pod.DEFAULT_MEMORY_MB,
                        Pod.DEFAULT_NODE_LIMIT, now, FrontendPorts.free(next, frontendBase), null);
                created.add(pod);
                next = next.withPod(pod);
            }
        }
        String names = String.join(", ", created.stream().map(Pod::name).toList());
        return new Outcome(next, created, List.of(), true, List.of(),
                Reply.of(201, "cloud initialised: created pod(s) " + names, created));
    }

    private static Pod newPod(String name, Workload workload, double cpu, int memoryMb, int nodeLimit, Instant now,
                              int frontendPort, String restartPolicy) {
        return new Pod(name, workload, cpu, memoryMb, nodeLimit, false, ElasticityPolicy.disabled(), List.of(), now,
                frontendPort, restartPolicy);
    }

    private Outcome registerPod(CloudState state, AdminRequest.RegisterPod r, Instant now) {
        String name = PodRules.name("name", r.pod());
        Workload workload = workload(r);
        double cpu = PodRules.cpuLimit(r.cpuLimit() == null ? Pod.DEFAULT_CPU : r.cpuLimit());
        int memory = PodRules.memoryMb(r.memoryMb() == null ? Pod.DEFAULT_MEMORY_MB : r.memoryMb());
        int limit = PodRules.nodeLimit(r.nodeLimit() == null ? Pod.DEFAULT_NODE_LIMIT : r.nodeLimit());
        String restart = PodRules.restartPolicy(r.restartPolicy());
        if (state.pod(name).isPresent()) {
            throw Rejection.conflict("pod " + name + " already exists");
        }
        int frontend = r.frontendPort() == null ? FrontendPorts.free(state, frontendBase)
                : FrontendPorts.chosen(state, r.frontendPort());
        Pod pod = newPod(name, workload, cpu, memory, limit, now, frontend, restart);
        return Outcome.pod(state, pod, Reply.of(201, "pod " + name + " registered", pod), List.of());
    }

    private Workload workload(AdminRequest.RegisterPod r) {
        if (r.image() != null && !r.image().isBlank()) {
            if (r.workload() != null && !r.workload().isBlank()) {
                throw Rejection.badField("workload", "give either a built-in workload or an image, not both");
            }
            String image = PodRules.image(r.image().trim());
            images.refusal(image).ifPresent(reason -> {
                throw Rejection.forbidden(reason);
            });
            return Workload.image(image, PodRules.port(r.port() == null ? 0 : r.port()),
                    PodRules.path("health_path", r.healthPath() == null ? "/health" : r.healthPath()),
                    PodRules.path("job_path", r.jobPath() == null ? "/job" : r.jobPath()));
        }
        String word = r.workload() == null || r.workload().isBlank() ? "light" : r.workload().trim();
        return Workload.Builtin.parse(word).map(Workload::builtin).orElseThrow(() -> Rejection.badField(
                "workload", "'" + word + "' is not one of light, medium, heavy (or give an image)"));
    }

    private static Outcome removePod(CloudState state, AdminRequest.RemovePod r, Instant now) {
        Pod pod = state.requirePod(r.pod());
        List<Node> live = pod.nodes().stream().filter(n -> n.state() != NodeState.STOPPED).toList();
        if (!live.isEmpty() && !r.force()) {
            throw Rejection.conflict("pod " + pod.name() + " has " + live.size() + " node(s) that are not STOPPED ("
                    + String.join(", ", live.stream().map(n -> n.name() + " " + n.state()).toList())
                    + "); remove them first, or force it (cloud pod rm --force, ?force=true)");
        }
        List<NodeCommand> stops = pod.nodes().stream().filter(n -> n.state().holdsCapacity() && n.hostId() != null)
                .map(n -> (NodeCommand) new NodeCommand.StopNode(Ids.next(), 1, now, n.hostId(), n.name(), pod.name()))
                .toList();
        String message = "pod " + pod.name() + " removed" + (stops.isEmpty() ? "" : "; stopping "
                + stops.size() + " node(s)");
        return new Outcome(state.withoutPod(pod.name()), List.of(), List.of(pod.name()), false, stops,
                Reply.of(200, message, null));
    }

    private static Outcome registerNode(CloudState state, AdminRequest.RegisterNode r, Instant now) {
        String nodeName = PodRules.name("name", r.node());
        Pod pod = state.requirePod(r.pod());
        PodRules.manual(pod, "register");
        state.node(nodeName).ifPresent(n -> {
            throw Rejection.conflict("node name " + nodeName + " is taken (in pod " + n.pod() + ")");
        });
        if (pod.liveNodes() >= pod.nodeLimit()) {
            throw Rejection.conflict("pod " + pod.name() + " is at its node limit of " + pod.nodeLimit());
        }
        Node node = Node.registered(nodeName, pod.name(), now);
        return Outcome.pod(state, pod.withNode(node), Reply.of(201, "node " + nodeName + " registered in pod "
                + pod.name(), node), List.of());
    }

    private Outcome launch(CloudState state, AdminRequest.Launch r, Instant now) {
        Pod pod = state.requirePod(r.pod());
        PodRules.manual(pod, "launch");
        Node next = pod.nodes().stream().filter(n -> n.state() == NodeState.NEW && !n.removing()).findFirst()
                .orElseThrow(() -> Rejection.conflict("pod " + pod.name()
                        + " has no NEW node to launch; register one first"));
        java.util.Optional<String> tooLarge = placement.neverFits(state, pod, now);
        if (tooLarge.isPresent()) {
            Node failed = next.moveTo(NodeState.FAILED, tooLarge.get(), now);
            return Outcome.pod(state, pod.withNode(failed), new Reply(409, null, "node " + next.name() + " FAILED: "
                    + tooLarge.get(), failed), List.of());
        }
        Host host = placement.choose(state, pod, now)
                .orElseThrow(() -> Rejection.conflict(placement.noRoom(state, pod, now)));
        Node placed = next.placed(host.id(), now);
        NodeCommand launch = new NodeCommand.LaunchNode(Ids.next(), 1, now, host.id(), placed.name(), pod.name(),
                pod.workload(), pod.cpuLimit(), pod.memoryMb());
        return Outcome.pod(state, pod.withNode(placed), Reply.of(202, "node " + placed.name() + " of pod "
                + pod.name() + " is STARTING on host " + host.id(), placed), List.of(launch));
    }

    private static Outcome pause(CloudState state, String podName, boolean paused) {
        Pod pod = state.requirePod(podName);
        String word = paused ? "paused" : "resumed";
        if (pod.paused() == paused) {
            return Outcome.unchanged(state, Reply.of(200, "pod " + pod.name() + " is already " + word, pod));
        }
        Pod next = pod.withPaused(paused);
        return Outcome.pod(state, next, Reply.of(200, "pod " + pod.name() + " " + word, next), List.of());
    }

    private static Outcome enable(CloudState state, AdminRequest.EnableElasticity r) {
        if (r.min() == null || r.max() == null) {
            throw Rejection.badField(r.min() == null ? "min" : "max", "is required");
        }
        Pod pod = state.requirePod(r.pod());
        PodRules.bounds(pod, r.min(), r.max());
        ElasticityPolicy next = pod.elasticity().enable(r.min(), r.max(), r.mode(), r.metric(), r.target(), r.step())
                .withTimeRules(r.scaleOutWindowSeconds(), r.scaleInWindowSeconds(), r.scaleOutCooldownSeconds(),
                        r.scaleInCooldownSeconds());
        PodRules.policy(next);
        Pod changed = pod.withElasticity(next);
        String how = next.modeOrDefault().equals("target")
                ? "target " + next.target() + " of " + next.metricOrDefault()
                : next.modeOrDefault().equals(ElasticityPolicy.DEMAND)
                ? "sized from demand, each node at " + next.setPointOrDefault() + " of its CPU"
                : next.metricOrDefault() + " thresholds " + next.lowerThreshold() + "-" + next.upperThreshold()
                        + ", step " + next.stepOrDefault();
        return Outcome.pod(state, changed, Reply.of(200, "elasticity enabled on pod " + pod.name() + " with "
                + r.min() + " to " + r.max() + " nodes (" + how + timeRules(next) + ")", next), List.of());
    }

    /** The pod's own time rules, as they read in the reply; the service's settings apply to the others. */
    private static String timeRules(ElasticityPolicy p) {
        StringBuilder s = new StringBuilder();
        rule(s, "scale-out window", p.scaleOutWindowSeconds());
        rule(s, "scale-in window", p.scaleInWindowSeconds());
        rule(s, "scale-out cool-down", p.scaleOutCooldownSeconds());
        rule(s, "scale-in cool-down", p.scaleInCooldownSeconds());
        return s.toString();
    }

    private static void rule(StringBuilder s, String name, Integer seconds) {
        if (seconds != null) {
            s.append(", ").append(name).append(' ').append(seconds).append(" s");
        }
    }

    private static Outcome threshold(CloudState state, AdminRequest.SetThreshold r) {
        if (r.threshold() == null) {
            throw Rejection.badField("threshold", "must be LOWER or UPPER");
        }
        if (r.value() == null) {
            throw Rejection.badField("value", "is required");
        }
        Pod pod = state.requirePod(r.pod());
        ElasticityPolicy policy = pod.elasticity();
        boolean lower = r.threshold() == AdminRequest.Threshold.LOWER;
        ElasticityPolicy next = lower ? policy.withLower(r.value()) : policy.withUpper(r.value());
        PodRules.thresholds(lower ? "lower_threshold" : "upper_threshold", next.lowerThreshold(),
                next.upperThreshold(), r.value());
        return Outcome.pod(state, pod.withElasticity(next), Reply.of(200, (lower ? "lower" : "upper")
                + " threshold of pod " + pod.name() + " set to " + r.value(), next), List.of());
    }
}
