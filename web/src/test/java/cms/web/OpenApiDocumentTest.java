package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /openapi.json documents exactly the routes that {@link WebServer} registers: every route with its method,
 * and no path or operation that the server does not have; and it names the API's JSON as the API writes it, in
 * snake_case.
 */
class OpenApiDocumentTest {

    private static final Pattern ROUTE = Pattern.compile("route\\(c, \"(GET|POST|PUT|DELETE)\", \"([^\"]+)\", "
            + "(PUBLIC|READ|OPERATE|ADMINISTER)");
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");

    private static JsonNode doc;
    private static Set<String> routes;
    /** "METHOD PATH" to the least role the route needs, as /openapi.json spells it. */
    private static final java.util.Map<String, String> ROLES = new java.util.TreeMap<>();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.json")) {
            assertNotNull(in, "/openapi.json is on the classpath");
            doc = new ObjectMapper().readTree(in);
        }
        routes = routesOfWebServer();
    }

    /** "METHOD PATH" of every route registered in WebServer.java; Javalin's {param} is OpenAPI's syntax too. */
    private static Set<String> routesOfWebServer() throws IOException {
        List<Path> candidates = List.of(Path.of("src/main/java/cms/web/WebServer.java"),
                Path.of("web/src/main/java/cms/web/WebServer.java"));
        Path source = candidates.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new AssertionError("WebServer.java not found from "
                        + Path.of("").toAbsolutePath() + " (tried " + candidates + ")"));
        Matcher m = ROUTE.matcher(Files.readString(source, StandardCharsets.UTF_8));
        Set<String> found = new TreeSet<>();
        while (m.find()) {
            found.add(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2));
            ROLES.put(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2),
                    cms.web.auth.ApiAuth.Access.valueOf(m.group(3)).least());
        }
        assertFalse(found.isEmpty(), "found routes in " + source);
        return found;
    }

    private static Set<String> documentedOperations() {
        Set<String> ops = new TreeSet<>();
        Iterator<String> paths = doc.path("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            Iterator<String> keys = doc.path("paths").path(path).fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                if (HTTP_METHODS.contains(key)) {
                    ops.add(key.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        return ops;
    }

    @Test
    void isAnOpenApi303Document() {
        assertEquals("3.0.3", doc.path("openapi").asText());
        assertTrue(doc.path("info").hasNonNull("title"));
        assertTrue(doc.path("info").hasNonNull("version"));
        for (String schema : List.of("Pod", "Node", "Workload", "ElasticityPolicy", "Message", "Error")) {
            assertTrue(doc.path("components").path("schemas").has(schema), "components.schemas." + schema);
        }
    }

    @Test
    void everyRouteIsDocumentedWithItsMethod() {
        Set<String> missing = new TreeSet<>(routes);
        missing.removeAll(documentedOperations());
        assertTrue(missing.isEmpty(), "routes of WebServer missing from openapi.json: " + missing);
    }

    @Test
    void everyDocumentedOperationIsARealRoute() {
        Set<String> extra = new TreeSet<>(documentedOperations());
        extra.removeAll(routes);
        assertTrue(extra.isEmpty(), "operations in openapi.json that WebServer does not serve: " + extra);
        Set<String> routePaths = new TreeSet<>();
        routes.forEach(r -> routePaths.add(r.substring(r.indexOf(' ') + 1)));
        Set<String> docPaths = new TreeSet<>();
        doc.path("paths").fieldNames().forEachRemaining(docPaths::add);
        assertEquals(routePaths, docPaths, "paths of openapi.json are exactly the routes' paths");
    }

    @Test
    void everyOperationNamesTheRoleItsRouteNeedsAndAnsweringWithout401AndForbidden403() {
        List<String> wrong = new java.util.ArrayList<>();
        ROLES.forEach((route, role) -> {
            String method = route.substring(0, route.indexOf(' ')).toLowerCase(Locale.ROOT);
            JsonNode op = doc.path("paths").path(route.substring(route.indexOf(' ') + 1)).path(method);
            if (!role.equals(op.path("x-cms-role").asText())) {
                wrong.add(route + ": x-cms-role " + op.path("x-cms-role") + ", the route needs " + role);
            }
            boolean open = role.equals("none");
            if (open != (op.has("security") && op.get("security").isEmpty())) {
                wrong.add(route + ": security " + op.path("security") + " for role " + role);
            }
            if (!open && (!op.path("responses").has("401") || !op.path("responses").has("403"))) {
                wrong.add(route + ": no 401/403 documented");
            }
        });
        assertTrue(ROLES.size() > 30, "routes read: " + ROLES.size());
        assertEquals(List.of(), wrong);
        assertTrue(doc.path("components").path("securitySchemes").has("bearer"));
    }

    @Test
    void everyPropertyParameterAndExampleKeyIsSnakeCaseAsTheApisKeys() {
        List<String> bad = new java.util.ArrayList<>();
        collectNames(doc, "", bad);
        assertEquals(List.of(), bad, "names of openapi.json that are not snake_case");
        assertTrue(doc.path("components").path("schemas").path("Pod").path("properties").has("memory_mb"));
    }

    /** Property names, required names, query and path parameter names, and the keys of examples (the API's JSON). */
    private static void collectNames(JsonNode node, String at, List<String> bad) {
        if (node.isObject()) {
            node.path("properties").fieldNames().forEachRemaining(n -> check(n, at + "/properties", bad));
            node.path("required").forEach(n -> check(n.asText(), at + "/required", bad));
            if (node.has("in") && !node.path("in").asText().equals("header")) {
                check(node.path("name").asText(), at + "/name", bad);
            }
            if (node.has("example")) {
                exampleKeys(node.get("example"), at + "/example", bad);
            }
            node.fields().forEachRemaining(e -> collectNames(e.getValue(), at + "/" + e.getKey(), bad));
        } else if (node.isArray()) {
            node.forEach(child -> collectNames(child, at + "[]", bad));
        }
    }

    private static void exampleKeys(JsonNode example, String at, List<String> bad) {
        example.fields().forEachRemaining(e -> {
            check(e.getKey(), at, bad);
            if (!e.getKey().equals("payload") && !e.getKey().equals("result")) {
                exampleKeys(e.getValue(), at + "/" + e.getKey(), bad);
            }
        });
        if (example.isArray()) {
            example.forEach(item -> exampleKeys(item, at + "[]", bad));
        }
    }

    private static void check(String name, String at, List<String> bad) {
        if (!JsonShape.SNAKE_CASE.matcher(name).matches()) {
            bad.add(at + ": " + name);
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new java.util.ArrayList<>();
        collectRefs(doc, broken);
        assertTrue(broken.isEmpty(), "unresolved $ref: " + broken);
    }

    private static void collectRefs(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String target = ref.asText();
                if (!target.startsWith("#/") || doc.at(target.substring(1)).isMissingNode()) {
                    broken.add(target);
                }
            }
            node.elements().forEachRemaining(child -> collectRefs(child, broken));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(child, broken));
        }
    }
}
