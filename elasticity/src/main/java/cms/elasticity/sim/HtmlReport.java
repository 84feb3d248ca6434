package cms.elasticity.sim;

import java.util.List;
import java.util.Locale;

/**
 * A simulation as one self-contained HTML file (well-formed XHTML, inline SVG, no script, nothing
 * fetched): demand d(t) and each scaler's supplied s(t) as step lines with axes and a legend, then the
 * metrics table and the model's numbers. Each line is a {@code polyline} whose {@code data-series}
 * names it. It only builds text; the caller writes it.
 */
public final class HtmlReport {

    static final int WIDTH = 1120;
    static final int HEIGHT = 420;
    static final int LEFT = 50;
    /** Room for the legend, right of the plot, where it hides no line. */
    static final int RIGHT = 200;
    static final int TOP = 20;
    static final int BOTTOM = 45;
    private static final String[] COLOURS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"};
    private static final String[] DASHES = {"none", "6 3", "2 2", "8 2 2 2", "4 4"};

    private HtmlReport() {
    }

    public static String render(Simulation.Result result, PodModel model, SimulationSettings settings, String trace) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>Elasticity simulation: ").append(escape(trace))
                .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right;white-space:nowrap}td:first-child{text-align:left}")
                .append("</style>\n</head>\n<body>\n<h1>Elasticity simulation: ").append(escape(trace)).append("</h1>\n")
                .append("<p>").append(escape(String.format(Locale.ROOT, "capacity %s requests/s per node; start-up "
                        + "%d s; metric lag %d s, smoothed over %d s; Δt = 1 s; %d s simulated; demand d = max(1, "
                        + "⌈λ/c⌉); supply s = supplied (ONLINE) nodes; node-seconds count supplied and STARTING "
                        + "nodes. ", model.capacity(), model.startupSeconds(), model.lagSeconds(),
                        model.smoothingSeconds(), result.demand().length) + settings.describe() + "."))
                .append("</p>\n");
        plot(html, result);
        table(html, MetricsTable.rows(result));
        return html.append("</body>\n</html>\n").toString();
    }

    private static void plot(StringBuilder html, Simulation.Result result) {
        int n = result.demand().length;
        int top = max(result.demand());
        for (Simulation.Run run : result.runs()) {
            top = Math.max(top, max(run.supplied()));
        }
        Scale scale = new Scale(n, top + 1);
        html.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-size=\"12\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        axes(html, scale);
        series(html, scale, "demand", result.demand(), "#000000", "none", 3);
        List<Simulation.Run> runs = result.runs();
        for (int i = 0; i < runs.size(); i++) {
            series(html, scale, runs.get(i).scaler(), runs.get(i).supplied(), COLOURS[i % COLOURS.length],
                    DASHES[i % DASHES.length], 1.5);
        }
        legend(html, runs);
        html.append("</svg>\n");
    }

    /** Time on x (0 to {@code seconds}), nodes on y (0 to {@code nodes}), in SVG coordinates. */
    record Scale(int seconds, int nodes) {

        double x(double t) {
            return LEFT + t * (WIDTH - LEFT - RIGHT) / seconds;
        }

        double y(double v) {
            return HEIGHT - BOTTOM - v * (HEIGHT - TOP - BOTTOM) / nodes;
        }
    }

    private static void axes(StringBuilder html, Scale s) {
        html.append(String.format(Locale.ROOT, "<g stroke=\"#444\"><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\"/></g>\n", LEFT, s.y(0), WIDTH - RIGHT, s.y(0), LEFT,
                TOP, LEFT, s.y(0)));
        int tStep = tick(s.seconds(), new int[]{1, 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200});
        for (int t = 0; t <= s.seconds(); t += tStep) {
            html.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n", s.x(t), s.y(0), s.x(t),
                    s.y(0) + 5, s.x(t), s.y(0) + 18, t));
        }
        int nStep = tick(s.nodes(), new int[]{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000});
        for (int v = 0; v <= s.nodes(); v += nStep) {
            html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n", LEFT, s.y(v), WIDTH - RIGHT, s.y(v),
                    LEFT - 6, s.y(v) + 4, v));
        }
        html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">time (s)</text>\n"
                + "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">nodes</text>\n",
                s.x(s.seconds() / 2.0), HEIGHT - 8, s.y(s.nodes() / 2.0), s.y(s.nodes() / 2.0)));
    }

    /** The first step from {@code steps} that gives at most 12 ticks. */
    private static int tick(int range, int[] steps) {
        for (int step : steps) {
            if (range / step <= 12) {
                return step;
            }
        }
        return Math.max(1, range / 12);
    }

    /** A step line: each value holds for its whole second, so the line jumps at the start of a second. */
    private static void series(StringBuilder html, Scale s, String name, int[] values, String colour, String dash,
                               double width) {
        StringBuilder points = new StringBuilder(point(s, 0, values[0]));
        for (int k = 1; k < values.length; k++) {
            if (values[k] != values[k - 1]) {
                points.append(' ').append(point(s, k, values[k - 1])).append(' ').append(point(s, k, values[k]));
            }
        }
        points.append(' ').append(point(s, values.length, values[values.length - 1]));
        html.append(String.format(Locale.ROOT, "<polyline data-series=\"%s\" fill=\"none\" stroke=\"%s\" "
                + "stroke-width=\"%.1f\" stroke-dasharray=\"%s\" points=\"%s\"/>\n", escape(name), colour, width, dash,
                points));
    }

    private static String point(Scale s, int t, int v) {
        return String.format(Locale.ROOT, "%.2f,%.2f", s.x(t), s.y(v));
    }

    private static void legend(StringBuilder html, List<Simulation.Run> runs) {
        int x = WIDTH - RIGHT + 12;
        html.append(String.format(Locale.ROOT, "<g class=\"legend\"><rect x=\"%d\" y=\"%d\" width=\"180\" height=\"%d\" "
                + "fill=\"#fff\" stroke=\"#ccc\"/>\n", x, TOP, 20 + 18 * runs.size()));
        legendEntry(html, x, TOP + 14, "demand d(t)", "#000000", "none");
        for (int i = 0; i < runs.size(); i++) {
            legendEntry(html, x, TOP + 32 + 18 * i, runs.get(i).scaler() + " s(t)", COLOURS[i % COLOURS.length],
                    DASHES[i % DASHES.length]);
        }
        html.append("</g>\n");
    }

    private static void legendEntry(StringBuilder html, int x, int y, String label, String colour, String dash) {
        html.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                + "stroke-width=\"2\" stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n", x + 8, y - 4, x + 38,
                y - 4, colour, dash, x + 46, y, escape(label)));
    }

    private static void table(StringBuilder html, List<List<String>> rows) {
        html.append("<table>\n<tr>");
        MetricsTable.HEADER.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static int max(int[] values) {
        int m = 0;
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
