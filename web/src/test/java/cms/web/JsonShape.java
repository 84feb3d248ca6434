package cms.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The shape of a JSON answer: each key's path ({@code data[].workload.health_path}) with its JSON type, the items
 * of an array merged under {@code []}. Two kinds of object are not the API's own fields and are shown whole: a
 * client's JSON (a job's {@code payload} and {@code result}: {@code json}), and a map keyed by data, not by field
 * names (the node counts of a pod by state, the job counts by status: {@code map}).
 */
final class JsonShape {

    /** What the API's own keys must look like: lower case words joined by underscores. */
    static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    /** Keys whose value is the client's own JSON. */
    private static final Set<String> CLIENT_JSON = Set.of("payload", "result");
    /** Paths of maps keyed by data: node counts by state ({@code /api/live}), job counts by status ({@code /api/jobs}). */
    private static final Set<String> KEYED_BY_DATA = Set.of("data.pods[].nodes", "counts");

    private JsonShape() {
    }

    /** Every key path with its type, sorted. */
    static List<String> of(JsonNode node) {
        Set<String> out = new TreeSet<>();
        walk(node, "", out, null);
        return List.copyOf(out);
    }

    /** The paths of keys that are not snake_case (the API's own keys only). */
    static List<String> notSnakeCase(JsonNode node) {
        List<String> bad = new ArrayList<>();
        walk(node, "", new TreeSet<>(), bad);
        return bad;
    }

    private static void walk(JsonNode node, String path, Set<String> out, List<String> bad) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (bad != null && !SNAKE_CASE.matcher(e.getKey()).matches()) {
                    bad.add(at);
                }
                if (CLIENT_JSON.contains(e.getKey()) && e.getValue().isContainerNode()) {
                    out.add(at + ": json");
                } else if (KEYED_BY_DATA.contains(at)) {
                    out.add(at + ": map");
                } else {
                    out.add(at + ": " + type(e.getValue()));
                    walk(e.getValue(), at, out, bad);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                out.add(path + "[]: " + type(item));
                walk(item, path + "[]", out, bad);
            }
        }
    }

    private static String type(JsonNode n) {
        return n.isObject() ? "object" : n.isArray() ? "array" : n.isTextual() ? "string" : n.isNumber() ? "number"
                : n.isBoolean() ? "boolean" : "null";
    }
}
