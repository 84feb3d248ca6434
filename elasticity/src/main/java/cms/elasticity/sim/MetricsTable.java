package cms.elasticity.sim;

import java.util.List;
import java.util.Locale;

/** The metrics of a simulation as a table of text, one row per scaler: for the terminal and the report. */
public final class MetricsTable {

    public static final List<String> HEADER = List.of("SCALER", "THETA_U%", "THETA_O%", "TAU_U%", "TAU_O%",
            "JITTER/MIN", "ADAPT S/D", "UNITS S/D", "UPSILON%", "SLO-VIOL S", "NODE-S", "ACTIONS");

    private MetricsTable() {
    }

    public static List<List<String>> rows(Simulation.Result result) {
        return result.runs().stream().map(run -> row(run.scaler(), result.metrics(run))).toList();
    }

    static List<String> row(String scaler, ElasticityMetrics m) {
        return List.of(scaler, percent(m.underAccuracy()), percent(m.overAccuracy()), percent(m.underTimeshare()),
                percent(m.overTimeshare()), String.format(Locale.ROOT, "%+.2f", m.jitterPerMinute()),
                m.supplyAdaptations() + "/" + m.demandAdaptations(), m.supplyUnits() + "/" + m.demandUnits(),
                percent(m.instability()), String.valueOf(m.sloViolationSeconds()), String.valueOf(m.nodeSeconds()),
                String.valueOf(m.actions()));
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
