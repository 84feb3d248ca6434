package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text tables for people: a header row and aligned columns. */
final class Tables {

    private Tables() {
    }

    static void print(PrintStream out, List<String> header, List<List<String>> rows) {
        int[] widths = widths(header, rows);
        out.println(line(header, widths));
        rows.forEach(r -> out.println(line(r, widths)));
    }

    /** Each column's width: its longest cell, the header's included. */
    static int[] widths(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        return widths;
    }

    /** One row, each cell but the last padded to its column's width. */
    static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
        }
        return sb.toString().stripTrailing();
    }

    static void pods(PrintStream out, JsonNode pods) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode p : pods) {
            JsonNode w = p.path("workload");
            String workload = w.hasNonNull("builtin") ? w.get("builtin").asText()
                    : w.path("image").asText() + ":" + w.path("port").asText();
            int online = 0;
            for (JsonNode n : p.path("nodes")) {
                online += "ONLINE".equals(n.path("state").asText()) ? 1 : 0;
            }
            JsonNode e = p.path("elasticity");
            String elasticity = e.path("enabled").asBoolean()
                    ? String.format(Locale.ROOT, "on %d-%d", e.path("min").asInt(), e.path("max").asInt()) : "off";
            rows.add(List.of(p.path("name").asText(), workload,
                    String.format(Locale.ROOT, "%.2f", p.path("cpu_limit").asDouble()),
                    p.path("memory_mb").asText() + " MB", online + "/" + p.path("nodes").size(),
                    p.path("node_limit").asText(), p.path("paused").asBoolean() ? "yes" : "no", elasticity,
                    String.format(Locale.ROOT, "%.2f-%.2f", e.path("lower_threshold").asDouble(),
                            e.path("upper_threshold").asDouble()), p.hasNonNull("frontend_port")
                            ? p.get("frontend_port").asText() : "-", p.path("restart_policy").asText("always")));
        }
        print(out, List.of("POD", "WORKLOAD", "CPU", "MEMORY", "ONLINE/NODES", "LIMIT", "PAUSED", "ELASTICITY",
                "THRESHOLDS", "FRONTEND", "RESTART"), rows);
    }

    static final List<String> NODE_HEADER = List.of("NODE", "POD", "STATE", "HOST", "ADDRESS", "PORT", "RESTARTS",
            "NOTE");

    static void nodes(PrintStream out, JsonNode nodes) {
        print(out, NODE_HEADER, nodeRows(nodes));
    }

    /** The rows of {@code cloud node ls}, one a node, its name first and its note last. */
    static List<List<String>> nodeRows(JsonNode nodes) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode n : nodes) {
            String note = n.path("removing").asBoolean() ? "removing" : "";
            if (n.hasNonNull("reason")) {
                note = (note.isEmpty() ? "" : note + "; ") + n.get("reason").asText();
            }
            rows.add(List.of(n.path("name").asText(), n.path("pod").asText(), n.path("state").asText(),
                    text(n, "host_id"), text(n, "address"), text(n, "port"), n.path("restarts").asText("0"), note));
        }
        return rows;
    }

    /**
     * The nodes of {@code cloud elasticity status} waiting for a restart, one line each: restarts so far,
     * when the next is due ("in 42 s", or "due" while it waits for a host with room) and the reason.
     */
    static void restarts(PrintStream out, JsonNode restarting) {
        if (restarting == null || restarting.isEmpty()) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : restarting) {
            long in = r.path("in_seconds").asLong();
            rows.add(List.of(r.path("node").asText(), r.path("restarts").asText("0"), in > 0 ? "in " + in + " s" : "due",
                    r.path("reason").asText("")));
        }
        out.println(rows.size() + (rows.size() == 1 ? " node waits" : " nodes wait") + " for a restart:");
        print(out, List.of("NODE", "RESTARTS", "NEXT", "REASON"), rows);
    }

    /**
     * Hosts as the resource manager has them (READY, LEFT or LOST with why; whether each takes new nodes), with
     * what their heartbeats say is in use ("-" when the live view has no heartbeat of it).
     */
    static void hosts(PrintStream out, JsonNode hosts) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode h : hosts) {
            boolean usage = h.has("cpu_used");
            rows.add(List.of(h.path("host_id").asText(), text(h, "address"), h.path("state").asText("-"),
                    h.path("scheduling").asText("-"), h.path("nodes").asText("0"),
                    usage ? String.format(Locale.ROOT, "%.2f/%.1f", h.path("cpu_used").asDouble(),
                            h.path("cpu_cores").asDouble()) : "-",
                    usage ? h.path("memory_used_mb").asLong() + "/" + h.path("memory_mb").asLong() + " MB" : "-",
                    text(h, "last_seen"), h.hasNonNull("reason") ? h.get("reason").asText() : ""));
        }
        print(out, List.of("HOST", "ADDRESS", "STATE", "SCHEDULING", "NODES", "CPU USED", "MEMORY USED", "LAST SEEN",
                "REASON"), rows);
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : "-";
    }
}
