package cms.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rules on dependencies, checked on the sources: the decision logic and the shared model
 * import no Kafka, Docker, Javalin or I/O; no module depends on a service module but the launcher.
 */
class DependencyRulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> FORBIDDEN_IN_LOGIC = List.of("import org.apache.kafka", "import io.javalin",
            "import com.github.dockerjava", "import java.io.", "import java.net.", "import java.nio.",
            "import java.util.concurrent.", "import cms.rm.service", "import cms.core.kafka");

    private static List<String> violations(Path dir, List<String> forbidden) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    forbidden.stream().filter(line::startsWith).forEach(b -> found.add(ROOT.relativize(f) + ": " + line));
                }
            }
        }
        return found;
    }

    @Test
    void decisionLogicAndModelArePure() throws IOException {
        Path main = ROOT.resolve("rm-core/src/main/java/cms");
        List<String> found = new ArrayList<>(violations(main.resolve("rm/model"), FORBIDDEN_IN_LOGIC));
        found.addAll(violations(main.resolve("core/model"), FORBIDDEN_IN_LOGIC));
        assertEquals(List.of(), found);
    }

    @Test
    void sharedPartDoesNotReachIntoServices() throws IOException {
        List<String> found = violations(ROOT.resolve("rm-core/src/main/java/cms/core"),
                List.of("import cms.rm.", "import cms.web", "import cms.nodedaemon", "import cms.balancer",
                    "import cms.elasticity", "import cms.cli"));
        assertEquals(List.of(), found);
    }

    @Test
    void serviceModulesDependOnlyOnRmCore() throws IOException {
        for (String module : List.of("node-daemon", "elasticity", "balancer", "web")) {
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            for (String other : List.of("node-daemon", "elasticity", "balancer", "web", "cli")) {
                if (!other.equals(module)) {
                    assertTrue(!pom.contains("<artifactId>" + other + "</artifactId>"),
                            module + " must not depend on " + other);
                }
            }
            Path src = ROOT.resolve(module).resolve("src/main/java");
            if (Files.exists(src)) {
                List<String> others = new ArrayList<>(List.of("import cms.rm.service", "import cms.web",
                        "import cms.nodedaemon", "import cms.balancer", "import cms.elasticity", "import cms.cli"));
                others.remove("import cms." + module.replace("-", ""));
                assertEquals(List.of(), violations(src, others), module);
            }
        }
    }
}
