package cms.elasticity.sim;

/**
 * The SPEC Research Group elasticity metrics of one run (BUNGEE, Chameleon), from demand d and supply s
 * sampled every Δt = 1 s over T = N seconds, with what a user feels beside them. With x⁺ = max(x, 0):
 * θ_U = 100/T · Σ (d − s)⁺ / d and θ_O = 100/T · Σ (s − d)⁺ / d (percent of demand missing or in
 * excess); τ_U and τ_O the percent of time with d &gt; s and s &gt; d; jitter = (adaptations of s −
 * adaptations of d) per minute, an adaptation being one change of the series whatever its size, with
 * the node units moved beside it; instability υ = 100/(N − 1) · Σ_k min(|sgn Δs_k − sgn Δd_k|, 1);
 * SLO-violation seconds = seconds with d &gt; s; node-seconds = Σ (supplied + STARTING), since a starting
 * node is paid for; actions = the scaler's size changes.
 */
public record ElasticityMetrics(double underAccuracy, double overAccuracy, double underTimeshare,
                                double overTimeshare, double jitterPerMinute, int supplyAdaptations,
                                int demandAdaptations, int supplyUnits, int demandUnits, double instability,
                                int sloViolationSeconds, long nodeSeconds, int actions) {

    public static ElasticityMetrics of(int[] demand, int[] supplied, int[] starting, int actions) {
        int n = demand.length;
        if (n == 0 || supplied.length != n || starting.length != n) {
            throw new IllegalArgumentException("demand, supplied and starting need the same, non-zero length");
        }
        double under = 0;
        double over = 0;
        int shortSeconds = 0;
        int excessSeconds = 0;
        long nodeSeconds = 0;
        for (int k = 0; k < n; k++) {
            int d = demand[k];
            int s = supplied[k];
            under += Math.max(d - s, 0) / (double) d;
            over += Math.max(s - d, 0) / (double) d;
            shortSeconds += d > s ? 1 : 0;
            excessSeconds += s > d ? 1 : 0;
            nodeSeconds += s + starting[k];
        }
        int sAdapt = adaptations(supplied);
        int dAdapt = adaptations(demand);
        int differentMoves = 0;
        for (int k = 1; k < n; k++) {
            int ds = Integer.signum(supplied[k] - supplied[k - 1]);
            int dd = Integer.signum(demand[k] - demand[k - 1]);
            differentMoves += Math.min(Math.abs(ds - dd), 1);
        }
        return new ElasticityMetrics(100 * under / n, 100 * over / n, 100.0 * shortSeconds / n,
                100.0 * excessSeconds / n, (sAdapt - dAdapt) / (n / 60.0), sAdapt, dAdapt, units(supplied),
                units(demand), n < 2 ? 0 : 100.0 * differentMoves / (n - 1), shortSeconds, nodeSeconds, actions);
    }

    private static int adaptations(int[] series) {
        int count = 0;
        for (int k = 1; k < series.length; k++) {
            count += series[k] != series[k - 1] ? 1 : 0;
        }
        return count;
    }

    private static int units(int[] series) {
        int sum = 0;
        for (int k = 1; k < series.length; k++) {
            sum += Math.abs(series[k] - series[k - 1]);
        }
        return sum;
    }
}
