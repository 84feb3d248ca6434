package cms.elasticity.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Sizes a pod from its demand in nodes rather than from a metric's distance to a threshold. It learns what one node
 * serves at its full CPU share from what the pod shows ({@link NodeCapacity}), and then reads the request rate, which a
 * saturated CPU cannot show, as nodes: {@code ⌈rate / capacity / setPoint⌉}. Growing, it sizes for the rate it
 * foresees one start-up ahead (the least-squares trend of the last {@link #TREND_WINDOW}, upward only), so nodes
 * that take long to start are asked for before the load reaches them, with room for a step no trend foresees
 * ({@link #UNFORESEEN_RISE}); a clear fall of the rate is followed in seconds ({@link #rules}). One per pod; times come
 * from the caller's clock.
 */
public final class DemandEstimator {

    /** The trend is fitted over this much of the request rate. */
    public static final Duration TREND_WINDOW = Duration.ofSeconds(30);
    /**
     * Room kept for a rise the trend does not foresee (a step), as a share of the rate per second of start-up: a node
     * asked for now serves only after a start-up, so the longer nodes take to start, the more of a step must already
     * be covered. 2 % a second: 4 % more with 2 s start-ups, 60 % more with 30 s ones (chosen on the tuning traces
     * with the default set-point 0.8: 1.8–2 % met every goal a causal rule reaches there, 1.6 % left the rise-step at
     * 30 s short 25 s, 2.2 % kept the sawtooth at 30 s over θ_O).
     */
    public static final double UNFORESEEN_RISE = 0.02;

    /**
     * How much of a start-up a clear fall must last before the pod follows it (at least {@link RateFall#HOLD}): a third
     * (10 s with 30 s start-ups; chosen on the tuning traces: a fifth let the noisy plateau's dips go at 30 s start-up,
     * twice as many seconds short; half kept the sawtooth's 30 s trough at its top size).
     */
    static final double FALL_SHARE = 1.0 / 3;

    private record Point(double t, double rate) {
    }

    private final Deque<Point> rates = new ArrayDeque<>();
    private final RateFall fall = new RateFall();
    private final NodeCapacity capacity = new NodeCapacity();

    /** One evaluation's inputs: the pod's request rate, its nodes' mean CPU share and how many nodes it is read on. */
    public void observe(Instant now, OptionalDouble rate, OptionalDouble cpu, int ready) {
        if (rate.isEmpty()) {
            return;
        }
        double r = rate.getAsDouble();
        double t = now.toEpochMilli() / 1000.0;
        while (!rates.isEmpty() && rates.peekFirst().t() < t - TREND_WINDOW.toMillis() / 1000.0) {
            rates.removeFirst();
        }
        fall.observe(t, r, rates.stream().mapToDouble(Point::rate).average().orElse(r));
        rates.addLast(new Point(t, r));
        capacity.observe(t, r, cpu, ready);
    }

    /** Requests/s one node serves at its full CPU share, once learned. */
    public OptionalDouble capacity() {
        return capacity.value();
    }

    /** The request rate {@code ahead} from the last reading on the trend of the window, never below the last reading. */
    public OptionalDouble foreseen(Duration ahead) {
        if (rates.isEmpty()) {
            return OptionalDouble.empty();
        }
        double last = rates.peekLast().rate();
        if (rates.size() < 3) {
            return OptionalDouble.of(last);
        }
        double n = rates.size();
        double st = 0;
        double sr = 0;
        for (Point p : rates) {
            st += p.t();
            sr += p.rate();
        }
        double mt = st / n;
        double mr = sr / n;
        double cov = 0;
        double var = 0;
        for (Point p : rates) {
            cov += (p.t() - mt) * (p.rate() - mr);
            var += (p.t() - mt) * (p.t() - mt);
        }
        double slope = var == 0 ? 0 : cov / var;
        return OptionalDouble.of(last + Math.max(0, slope) * ahead.toMillis() / 1000.0);
    }

    /**
     * Whether the rate has clearly fallen ({@link RateFall}: every reading for 5 s below half the mean of the trend
     * window before it) and the fall has lasted {@link #FALL_SHARE} of a start-up: a fall much shorter than a start-up
     * may come back before a node let go could be started again.
     */
    public boolean falling(Duration startup) {
        return fall.lasted(Duration.ofMillis(Math.round(startup.toMillis() * FALL_SHARE)));
    }

    /**
     * The time rules for this evaluation: {@code p}, or while the rate has clearly {@link #falling fallen}, {@code p}
     * with a scale-in window and cool-down of {@link RateFall#HOLD}: the pod follows a fall in seconds rather than
     * holding its top size for the whole scale-in window (a sawtooth's drop, the end of a burst).
     */
    public ScalingPolicy rules(ScalingPolicy p, Duration startup) {
        return falling(startup) ? p.withWindows(p.scaleOutWindow(), RateFall.HOLD, p.scaleOutCooldown(), RateFall.HOLD) : p;
    }

    /** The nodes {@code rate} asks for, each at {@code setPoint} of the learned capacity; empty before one is learned. */
    public OptionalInt nodesFor(double rate, double setPoint) {
        if (capacity().isEmpty()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Math.max(rate > 0 ? 1 : 0, (int) Math.ceil(rate / capacity().getAsDouble() / setPoint
                - 1e-9)));
    }

    /**
     * The fast path's {@code surge} made as large as the last second's request rate asks for (a saturated CPU caps
     * the metric, not the rate), within {@code max}; the surge as it is when the rate asks for no more, or before a
     * capacity is learned.
     */
    public Optional<Recommendation> jump(Optional<Recommendation> surge, OptionalDouble lastRate, double setPoint,
                                         int max) {
        if (surge.isEmpty() || lastRate.isEmpty()) {
            return surge;
        }
        int nodes = nodesFor(lastRate.getAsDouble(), setPoint).orElse(0);
        if (nodes <= surge.get().nodes()) {
            return surge;
        }
        return Optional.of(new Recommendation(Math.min(max, nodes), surge.get().reason() + String.format(Locale.ROOT,
                " (%.1f req/s: %d nodes at %.2f)", lastRate.getAsDouble(), nodes, setPoint)));
    }

    /**
     * The size the demand asks for, each node at {@code setPoint} of its capacity, growing for the rate foreseen
     * {@code startup} ahead, within [{@code min}, {@code max}]; empty until a capacity is learned and a rate is known.
     * While the {@code current} nodes would carry the rate within {@code tolerance} of the set-point (the rate is
     * within ±tolerance of what they serve at it), the size stays: a rate wandering around a node boundary does not
     * add and remove a node each time it crosses it (HPA's 10 % band, on the demand).
     */
    public Optional<Recommendation> recommend(double setPoint, double tolerance, Duration startup, int current, int min,
                                              int max) {
        if (rates.isEmpty() || capacity().isEmpty()) {
            return Optional.empty();
        }
        double now = rates.peekLast().rate();
        double trend = foreseen(startup).orElse(now);
        // the trend foresees a steady rise, not a step: room for one of UNFORESEEN_RISE a second over a start-up
        double room = now * UNFORESEEN_RISE * startup.toMillis() / 1000.0;
        double ahead = trend + room;
        int want = Math.max(min, Math.min(max, nodesFor(ahead, setPoint).getAsInt()));
        String why = (trend > now * 1.005
                ? String.format(Locale.ROOT, "%.1f req/s rising to %.1f in %d s", now, trend, startup.toSeconds())
                : String.format(Locale.ROOT, "%.1f req/s", now))
                + (room >= 0.05 ? String.format(Locale.ROOT, " (+%.1f room for a step)", room) : "")
                + String.format(Locale.ROOT, ", %.1f req/s per node at %.2f", capacity().getAsDouble(), setPoint);
        double ratio = current > 0 ? ahead / (current * capacity().getAsDouble() * setPoint) : Double.NaN;
        if (want != current && current >= min && current <= max && Math.abs(ratio - 1) <= tolerance) {
            return Optional.of(new Recommendation(current, why + String.format(Locale.ROOT,
                    ": %d node(s) carry it within %.0f%% of the set-point", current, tolerance * 100)));
        }
        return Optional.of(new Recommendation(want, why));
    }
}
