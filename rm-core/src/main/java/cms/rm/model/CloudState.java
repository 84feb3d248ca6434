package cms.rm.model;

import cms.core.model.Cordon;
import cms.core.model.Host;
import cms.core.model.Node;
import cms.core.model.Pod;
import cms.core.model.Refusal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the resource manager knows (pods and hosts sorted by name): the pods with their nodes, whether init
 * ran, the hosts heard from, and the hosts an operator cordoned or drains (by host id).
 */
public record CloudState(Map<String, Pod> pods, Instant initialisedAt, Map<String, Host> hosts,
                         Map<String, Cordon> cordons) {

    public CloudState {
        pods = Collections.unmodifiableSortedMap(new TreeMap<>(pods));
        hosts = Collections.unmodifiableSortedMap(new TreeMap<>(hosts));
        cordons = Collections.unmodifiableSortedMap(new TreeMap<>(cordons == null ? Map.of() : cordons));
    }

    /** A state without cordons. */
    public CloudState(Map<String, Pod> pods, Instant initialisedAt, Map<String, Host> hosts) {
        this(pods, initialisedAt, hosts, Map.of());
    }

    public static CloudState empty() {
        return new CloudState(Map.of(), null, Map.of(), Map.of());
    }

    public boolean initialised() {
        return initialisedAt != null;
    }

    public Optional<Pod> pod(String name) {
        return Optional.ofNullable(pods.get(name));
    }

    /** The pod of this name; a 400 naming {@code pod} for a name no pod can have, a 404 for one that no pod has. */
    public Pod requirePod(String name) {
        PodRules.name("pod", name);
        return pod(name).orElseThrow(() -> Rejection.of(Refusal.unknownPod(name)));
    }

    /** The node with this name in any pod: node names are unique within the cloud. */
    public Optional<Node> node(String name) {
        return pods.values().stream().flatMap(p -> p.nodes().stream()).filter(n -> n.name().equals(name))
                .findFirst();
    }

    /** Whether new nodes are kept off this host (cordoned, or drained). */
    public boolean cordoned(String hostId) {
        return cordons.containsKey(hostId);
    }

    public CloudState withPod(Pod pod) {
        Map<String, Pod> copy = new TreeMap<>(pods);
        copy.put(pod.name(), pod);
        return new CloudState(copy, initialisedAt, hosts, cordons);
    }

    public CloudState withoutPod(String name) {
        Map<String, Pod> copy = new TreeMap<>(pods);
        copy.remove(name);
        return new CloudState(copy, initialisedAt, hosts, cordons);
    }

    public CloudState withInitialisedAt(Instant at) {
        return new CloudState(pods, at, hosts, cordons);
    }

    public CloudState withHost(Host host) {
        Map<String, Host> copy = new TreeMap<>(hosts);
        copy.put(host.id(), host);
        return new CloudState(pods, initialisedAt, copy, cordons);
    }

    public CloudState withoutHost(String id) {
        Map<String, Host> copy = new TreeMap<>(hosts);
        copy.remove(id);
        return new CloudState(pods, initialisedAt, copy, cordons);
    }

    public CloudState withCordon(Cordon cordon) {
        Map<String, Cordon> copy = new TreeMap<>(cordons);
        copy.put(cordon.hostId(), cordon);
        return new CloudState(pods, initialisedAt, hosts, copy);
    }

    public CloudState withoutCordon(String hostId) {
        Map<String, Cordon> copy = new TreeMap<>(cordons);
        copy.remove(hostId);
        return new CloudState(pods, initialisedAt, hosts, copy);
    }

    /** With exactly these cordons (as the cloud's record on {@code pods} has them). */
    public CloudState withCordons(Iterable<Cordon> all) {
        Map<String, Cordon> copy = new TreeMap<>();
        all.forEach(c -> copy.put(c.hostId(), c));
        return new CloudState(pods, initialisedAt, hosts, copy);
    }
}
