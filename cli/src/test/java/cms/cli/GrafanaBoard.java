package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/grafana's board as tests read it: its shape, and the metric names its queries use. */
final class GrafanaBoard {

    static final Path FILE = DeployUnits.DEPLOY.resolve("grafana").resolve("cms-pod.json");

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset");

    private GrafanaBoard() {
    }

    static JsonNode read() throws IOException {
        return new ObjectMapper().readTree(FILE.toFile());
    }

    /** What keeps the board from being one Grafana imports: empty when it has a dashboard's shape. */
    static List<String> problems(JsonNode board) {
        List<String> out = new ArrayList<>();
        for (String field : List.of("uid", "title")) {
            if (!board.path(field).isTextual() || board.path(field).asText().isBlank()) {
                out.add("no " + field);
            }
        }
        if (!board.path("schemaVersion").isInt()) {
            out.add("no schemaVersion");
        }
        if (!board.path("panels").isArray() || board.path("panels").isEmpty()) {
            out.add("no panels");
        }
        for (JsonNode panel : board.path("panels")) {
            String name = "panel " + panel.path("id").asText("?");
            if (!panel.path("id").isInt() || !panel.path("type").isTextual() || !panel.path("title").isTextual()) {
                out.add(name + ": id, type and title are needed");
            }
            for (String g : List.of("h", "w", "x", "y")) {
                if (!panel.path("gridPos").path(g).isInt()) {
                    out.add(name + ": gridPos." + g + " is not a whole number");
                }
            }
            if (!panel.path("targets").isArray() || panel.path("targets").isEmpty()) {
                out.add(name + ": no targets");
            }
            for (JsonNode t : panel.path("targets")) {
                if (!t.path("refId").isTextual() || !t.path("expr").isTextual() || t.path("expr").asText().isBlank()) {
                    out.add(name + ": a target without refId or expr");
                }
            }
        }
        boolean pod = false;
        for (JsonNode v : board.path("templating").path("list")) {
            pod |= v.path("name").asText().equals("pod");
        }
        if (!pod) {
            out.add("no pod variable");
        }
        return out;
    }

    /** Every metric name the board's queries (and its variables' queries) name. */
    static Set<String> metricNames(JsonNode board) {
        Set<String> out = new TreeSet<>();
        for (JsonNode panel : board.path("panels")) {
            for (JsonNode t : panel.path("targets")) {
                out.addAll(namesIn(t.path("expr").asText()));
            }
        }
        for (JsonNode v : board.path("templating").path("list")) {
            Matcher m = Pattern.compile("label_values\\(([A-Za-z_:][A-Za-z0-9_:]*)").matcher(v.path("definition").asText());
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** The metric names of one PromQL expression: identifiers outside selectors, ranges and label lists, not calls. */
    static Set<String> namesIn(String promql) {
        String bare = promql.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> out = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String rest = bare.substring(m.end()).stripLeading();
            if (!KEYWORDS.contains(m.group()) && !rest.startsWith("(")) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** The metric names of an exposition's samples ({@code _bucket}, {@code _count}, {@code _total} as written). */
    static Set<String> exported(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split("[{ ]", 2)[0]);
            }
        }
        return out;
    }
}
