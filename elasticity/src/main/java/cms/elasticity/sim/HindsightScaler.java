package cms.elasticity.sim;

/**
 * A reference, not a contender: a scaler that knows the trace's demand one start-up ahead. A node launched now is
 * supplied after the start-up, and scale-in takes the newest nodes first, so supply is never short exactly when the
 * size at every second covers the demand of every second until a node launched then would be supplied: the size is
 * the largest demand of the next {@code max(1, startup)} seconds (within [MIN, MAX]). It is the fewest node-seconds
 * with which the pod model is never short after its first start-up: what no scaler that reads only the past can
 * beat, and the bound against which the goals are judged reachable at all.
 */
public final class HindsightScaler implements Scaler {

    private final int[] demand;
    private final int ahead;
    private final int min;
    private final int max;

    public HindsightScaler(int[] demand, int startupSeconds, int min, int max) {
        this.demand = demand.clone();
        this.ahead = Math.max(1, startupSeconds);
        this.min = min;
        this.max = max;
    }

    @Override
    public String name() {
        return LibraryRun.REFERENCE + "hindsight";
    }

    @Override
    public int decide(Observation o) {
        int k = (int) (o.now().getEpochSecond() - Simulation.START.getEpochSecond());
        int want = 0;
        for (int j = k + 1; j <= Math.min(k + ahead, demand.length - 1); j++) {
            want = Math.max(want, demand[j]);
        }
        return want == 0 ? o.current() : Math.max(min, Math.min(max, want));
    }
}
