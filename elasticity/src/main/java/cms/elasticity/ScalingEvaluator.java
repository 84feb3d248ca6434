package cms.elasticity;

import cms.core.event.Ids;
import cms.core.event.MetricSample;
import cms.core.event.ScalingDecision;
import cms.core.model.ElasticityPolicy;
import cms.core.model.NodeState;
import cms.core.model.Pod;
import cms.core.model.ScaleFromZero;
import cms.elasticity.policy.Decision;
import cms.elasticity.policy.DemandEstimator;
import cms.elasticity.policy.Metric;
import cms.elasticity.policy.Recommendation;
import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.policy.Stabilizer;
import cms.elasticity.policy.Strategies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The elasticity service's decisions, apart from Kafka: it takes the metric samples as they come and,
 * when asked with the pods and the time, evaluates each pod whose elasticity is enabled: its metric →
 * strategy → time rules. The metric is per ONLINE node; the current size counts ONLINE and STARTING
 * nodes, and FAILED ones the resource manager will launch again after their back-off (none being
 * removed), so capacity on its way is not asked for twice and a failing image does not grow the pod
 * with a new node per failure. A pod's time rules
 * start afresh whenever its elasticity settings change.
 * <p>
 * In demand mode a pod is sized from its request rate through the balancer over the capacity per node it has
 * learned ({@link DemandEstimator}: only from readings with no capped sample, once its nodes are past their warm-up), growing for the rate foreseen one start-up of its nodes ahead (as observed,
 * {@link StartupTimes}); until a capacity is learned, and on its fast path, it is target mode on the CPU with the
 * set-point as target; a fast-path jump is sized from the last second's rate when that asks for more.
 */
final class ScalingEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(ScalingEvaluator.class);
    /** The metric a demand-sized decision names: its value is the pod's request rate, all nodes together. */
    static final String DEMAND = "demand";
    /** The metric a decision that wakes a pod at 0 nodes names: its value is the requests waiting. */
    static final String WAITING = "waiting";

    private final ElasticityConfig config;
    private final PodUtilisation utilisation;
    private final PodTraffic traffic;
    private final Map<String, Stabilizer> stabilizers = new HashMap<>();
    private final Map<String, ElasticityPolicy> policies = new HashMap<>();
    private final Map<String, DemandEstimator> demand = new HashMap<>();
    private final StartupTimes startups = new StartupTimes();
    /** How recent a balancer's count of waiting requests must be to wake a pod (it reports every second). */
    private static final Duration WAITING_FRESH = Duration.ofSeconds(2);
    /** How recent the fast path's newest samples must be (two of the node daemons' one-second sampling periods). */
    static final Duration SURGE_FRESH = Duration.ofSeconds(2);

    ScalingEvaluator(ElasticityConfig config) {
        this.config = config;
        Duration keep = config.smoothing().compareTo(SURGE_FRESH) > 0 ? config.smoothing() : SURGE_FRESH;
        this.utilisation = new PodUtilisation(keep);
        this.traffic = new PodTraffic(keep);
    }

    void add(MetricSample sample) {
        if (sample instanceof MetricSample.NodeSample s) {
            utilisation.add(s);
        } else if (sample instanceof MetricSample.PodSample s) {
            traffic.add(s);
        }
    }

    /** Metric samples held now, of every pod and node (for tests and diagnostics). */
    int samplesKept() {
        return utilisation.samplesKept() + traffic.samplesKept();
    }

    /** The decisions that change a pod's size, with their inputs and reasons: a tick that evaluates every pod. */
    List<ScalingDecision> evaluate(Map<String, Pod> pods, Instant now) {
        return evaluate(pods, now, new EvaluationSchedule.Due(pods.keySet(), true));
    }

    /**
     * As {@link #evaluate(Map, Instant)} for the pods {@code due} names only (those a new sample is about, or all at a
     * tick); what is kept of every pod (samples, start-ups, holds) is looked after at a tick only, not at each sample.
     */
    List<ScalingDecision> evaluate(Map<String, Pod> pods, Instant now, EvaluationSchedule.Due due) {
        if (due.tick()) {
            upkeep(pods, now);
        }
        return evaluate(pods, now, due.pods());
    }

    /** Forgets what is kept of pods gone or no longer elastic, and samples past every window; reads start-ups. */
    private void upkeep(Map<String, Pod> pods, Instant now) {
        utilisation.forgetMissing(pods);
        traffic.forgetMissing(pods);
        utilisation.prune(now);
        traffic.prune(now);
        stabilizers.keySet().removeIf(p -> !pods.containsKey(p) || !pods.get(p).elasticity().enabled());
        demand.keySet().retainAll(stabilizers.keySet());
        policies.keySet().removeIf(p -> !pods.containsKey(p));
        // only sizing from demand reads start-up times
        startups.observe(pods.entrySet().stream().filter(p -> p.getValue().elasticity().enabled()
                        && Policies.byDemand(p.getValue().elasticity()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private List<ScalingDecision> evaluate(Map<String, Pod> pods, Instant now, Collection<String> which) {
        List<ScalingDecision> decisions = new ArrayList<>();
        for (Pod pod : pods.values()) {
            if (!which.contains(pod.name())) {
                continue;
            }
            ElasticityPolicy e = pod.elasticity();
            if (!e.enabled()) {
                continue;
            }
            if (!e.equals(policies.put(pod.name(), e)) || !stabilizers.containsKey(pod.name())) {
                stabilizers.put(pod.name(), new Stabilizer());
            }
            if (!Policies.byDemand(e)) {
                demand.remove(pod.name()); // what a node serves is the workload's: new bounds or time rules keep it
            }
            Optional<Metric> metric = Policies.metric(e);
            if (metric.isEmpty()) {
                LOG.debug("pod={} metric '{}' is not known to this service: not evaluated", pod.name(), e.metric());
                continue;
            }
            evaluate(pod, metric.get(), Policies.of(e, config), Policies.byDemand(e), now).ifPresent(decisions::add);
        }
        return decisions;
    }

    /**
     * The normal path reads the metric over the smoothing window, the fast path its newest samples (within
     * {@link #SURGE_FRESH}), held from one reading to one taken {@link Stabilizer#SURGE_HOLD} later (readings that
     * cover {@link Stabilizer#SURGE_SPAN} of load together). A decision's
     * value is the one its path read.
     */
    private Optional<ScalingDecision> evaluate(Pod pod, Metric metric, ScalingPolicy policy, boolean byDemand,
                                               Instant now) {
        if (ScaleFromZero.holdsRequests(pod.elasticity()) && pod.sizedNodes().isEmpty()) {
            return fromZero(pod, metric, policy, now);
        }
        int ready = count(pod, NodeState.ONLINE);
        int current = ready + count(pod, NodeState.STARTING) + (int) pod.nodes().stream().filter(pod::restarts).count();
        OptionalDouble value = value(metric, pod, ready, now, config.smoothing());
        Optional<Reading> last = newest(metric, pod, ready, now);
        Recommendation rec = value.isPresent()
                ? Strategies.recommend(metric, value.getAsDouble(), ready, current, policy)
                : new Recommendation(current, "no " + metric.label() + " samples yet");
        Optional<Recommendation> surge = last.isPresent()
                ? Strategies.surge(metric, last.get().value(), ready, current, policy) : Optional.empty();
        String label = metric.label();
        double shown = value.orElse(0);
        if (byDemand) {
            startups.observe(pod); // at each evaluation of the pod, as a node may start between two ticks
            DemandEstimator d = demand.computeIfAbsent(pod.name(), p -> new DemandEstimator());
            OptionalDouble rate = traffic.totalRate(pod.name(), now, config.smoothing());
            // a mean over a window that holds a capped (saturated) sample would teach too high a capacity, and a node
            // still warming up spends CPU on its own start (no sample of the window may be from its warm-up)
            OptionalDouble highest = utilisation.highest(pod, now, config.smoothing());
            boolean warm = pod.nodes().stream().filter(n -> n.state() == NodeState.ONLINE && !n.removing())
                    .allMatch(n -> n.since() != null && !n.since().isAfter(now.minus(config.warmup()).minus(config.smoothing())));
            d.observe(now, rate, !warm || highest.isPresent() && metric.saturated(highest.getAsDouble())
                    ? OptionalDouble.empty() : value, ready);
            Duration startup = startups.of(pod.name()).orElse(config.startup());
            Optional<Recommendation> sized = d.recommend(policy.target(), policy.tolerance(), startup, current,
                    policy.min(), policy.max());
            policy = d.rules(policy, startup); // a clear fall is followed in seconds, not after the scale-in window
            if (sized.isPresent()) {
                rec = sized.get();
                label = DEMAND;
                shown = rate.orElse(0);
            }
            Optional<Reading> lastRate = traffic.newest(pod.name(), now, SURGE_FRESH, PodTraffic.RATE);
            surge = d.jump(surge, lastRate.isPresent() ? OptionalDouble.of(lastRate.get().value())
                    : OptionalDouble.empty(), policy.target(), policy.max());
        }
        Decision d = stabilizers.get(pod.name()).decide(rec, surge, current, policy, now,
                last.map(Reading::at).orElse(now));
        if (!d.changes()) {
            return Optional.empty();
        }
        return Optional.of(new ScalingDecision(Ids.next(), 1, now, pod.name(), d.fast() ? metric.label() : label,
                d.fast() ? last.map(Reading::value).orElse(0.0) : shown, d.from(), d.to(), d.reason()));
    }

    /**
     * A pod at 0 nodes (none starting either) whose balancer holds its requests: the requests waiting now decide.
     * Without a sample that says how many (no balancer reports the pod), it stays as it is.
     */
    private Optional<ScalingDecision> fromZero(Pod pod, Metric metric, ScalingPolicy policy, Instant now) {
        OptionalInt waiting = traffic.waiting(pod.name(), now, WAITING_FRESH);
        Recommendation rec = waiting.isPresent() ? Strategies.fromZero(metric, waiting.getAsInt(), policy)
                : new Recommendation(0, "no balancer sample says whether requests wait");
        Decision d = stabilizers.get(pod.name()).wake(rec, policy, now);
        return d.changes() ? Optional.of(new ScalingDecision(Ids.next(), 1, now, pod.name(), WAITING,
                waiting.orElse(0), d.from(), d.to(), d.reason())) : Optional.empty();
    }

    /** The metric as its newest samples show it, for the fast path. */
    private Optional<Reading> newest(Metric metric, Pod pod, int ready, Instant now) {
        return switch (metric) {
            case CPU -> utilisation.newest(pod, now, SURGE_FRESH);
            case RPS -> ready == 0 ? Optional.empty()
                    : traffic.newest(pod.name(), now, SURGE_FRESH, PodTraffic.RATE).map(r -> r.per(ready));
            case LATENCY -> ready == 0 ? Optional.empty() : traffic.newest(pod.name(), now, SURGE_FRESH, PodTraffic.LATENCY);
            case QUEUE -> traffic.newest(pod.name(), now, SURGE_FRESH, PodTraffic.QUEUED).map(r -> r.per(Math.max(1, ready)));
        };
    }

    private OptionalDouble value(Metric metric, Pod pod, int ready, Instant now, Duration window) {
        return switch (metric) {
            case CPU -> utilisation.of(pod, now, window);
            case RPS -> traffic.requestRate(pod.name(), ready, now, window);
            case LATENCY -> traffic.latency(pod.name(), ready, now, window);
            case QUEUE -> traffic.queue(pod.name(), ready, now, window);
        };
    }

    /** Nodes in {@code state} that are not being removed. */
    private static int count(Pod pod, NodeState state) {
        return (int) pod.nodes().stream().filter(n -> !n.removing() && n.state() == state).count();
    }
}
