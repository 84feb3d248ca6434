package cms.elasticity.sim;

import java.time.Instant;
import java.util.List;

/**
 * Runs scalers over a trace on a simulated clock: one step per second, no waiting. Each step: nodes
 * whose start-up is over become supplied; the step's rate gives demand and utilisation; the step is
 * recorded; the scaler sees the lagged metric and the node counts and may resize the pod (a new node
 * counts from the next step on, supplied after its start-up; a removed one is gone from the next step).
 * Every scaler starts with the pod sized for the trace's first rate, within [MIN, MAX]. Deterministic:
 * the same trace, model and settings give the same series.
 */
public final class Simulation {

    /** Simulated time of step 0. */
    public static final Instant START = Instant.EPOCH;

    private Simulation() {
    }

    /** One scaler's run: supply and STARTING nodes per step, and how many times it changed the size. */
    public record Run(String scaler, int[] supplied, int[] starting, int actions) {
    }

    /** Demand per step, and each scaler's run on it. */
    public record Result(int[] demand, List<Run> runs) {

        public ElasticityMetrics metrics(Run run) {
            return ElasticityMetrics.of(demand, run.supplied(), run.starting(), run.actions());
        }
    }

    public static Result run(Trace trace, PodModel model, SimulationSettings settings) {
        int n = trace.seconds();
        double[] rate = new double[n];
        int[] demand = new int[n];
        for (int k = 0; k < n; k++) {
            rate[k] = trace.rateAt(k);
            demand[k] = model.demand(rate[k]);
        }
        int initial = Math.max(settings.min(), Math.min(settings.max(), demand[0]));
        List<Run> runs = settings.scalers(model).stream().map(s -> run(rate, model, initial, s)).toList();
        return new Result(demand, runs);
    }

    static Run run(double[] rate, PodModel model, int initial, Scaler scaler) {
        SimulatedPod pod = new SimulatedPod(model, initial);
        int[] supplied = new int[rate.length];
        int[] starting = new int[rate.length];
        int actions = 0;
        for (int k = 0; k < rate.length; k++) {
            pod.step(k, rate[k]);
            supplied[k] = pod.supplied();
            starting[k] = pod.starting();
            int to = scaler.decide(new Observation(START.plusSeconds(k), pod.metric(), pod.supplied(),
                    pod.starting(), pod.metric(1), pod.rate(), pod.rate(1)));
            if (to != pod.total()) {
                actions++;
                pod.resize(to, k);
            }
        }
        return new Run(scaler.name(), supplied, starting, actions);
    }
}
