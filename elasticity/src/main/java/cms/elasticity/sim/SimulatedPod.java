package cms.elasticity.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One pod's state during one run: supplied nodes, STARTING nodes with the step at which each becomes
 * supplied, and the utilisation of every step so far (for the lagged, smoothed metric). Scale-out adds
 * STARTING nodes; scale-in removes at once, the newest first (STARTING ones before supplied ones), as
 * the resource manager does.
 */
final class SimulatedPod {

    private final PodModel model;
    private final Deque<Integer> startingReadyAt = new ArrayDeque<>();
    private final List<Double> utilisation = new ArrayList<>();
    private final List<Double> rates = new ArrayList<>();
    private int supplied;

    SimulatedPod(PodModel model, int initial) {
        this.model = model;
        this.supplied = initial;
    }

    /** Starts step {@code step} at request rate {@code rate}: nodes whose start-up is over become supplied. */
    void step(int step, double rate) {
        while (!startingReadyAt.isEmpty() && startingReadyAt.peekFirst() <= step) {
            startingReadyAt.removeFirst();
            supplied++;
        }
        utilisation.add(model.utilisation(rate, supplied));
        rates.add(rate);
    }

    /** The request rate over the smoothing window, {@code lag} steps ago: what the balancer reports, queue or not. */
    OptionalDouble rate() {
        return rate(model.smoothingSeconds());
    }

    /** The request rate over the last {@code seconds} steps, {@code lag} steps ago. */
    OptionalDouble rate(int seconds) {
        return mean(rates, seconds);
    }

    /** The metric the policy sees now: the mean utilisation over the smoothing window, {@code lag} steps ago. */
    OptionalDouble metric() {
        return metric(model.smoothingSeconds());
    }

    /** The mean utilisation over the last {@code seconds} steps, {@code lag} steps ago. */
    OptionalDouble metric(int seconds) {
        return mean(utilisation, seconds);
    }

    private OptionalDouble mean(List<Double> series, int seconds) {
        int to = series.size() - 1 - model.lagSeconds();
        int from = Math.max(0, to - seconds + 1);
        double sum = 0;
        int count = 0;
        for (int i = from; i <= to; i++) {
            double u = series.get(i);
            if (!Double.isNaN(u)) {
                sum += u;
                count++;
            }
        }
        return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
    }

    /** Goes to {@code nodes} in total: launches the missing ones (supplied after start-up) or removes the newest. */
    void resize(int nodes, int step) {
        while (total() < nodes) {
            startingReadyAt.addLast(step + model.startupSeconds());
        }
        while (total() > nodes) {
            if (startingReadyAt.isEmpty()) {
                supplied--;
            } else {
                startingReadyAt.removeLast();
            }
        }
    }

    int supplied() {
        return supplied;
    }

    int starting() {
        return startingReadyAt.size();
    }

    int total() {
        return supplied + startingReadyAt.size();
    }
}
