package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus's scrape configurations are ones Prometheus takes ({@code promtool check config}, offline), with
 * the token file each names made beside it as its comments say, and each scrapes every CMS service.
 */
class PrometheusConfigIT {

    @Test
    void theScrapeConfigurationsOfCmsDevAndOfTheThreeMachinesAreValid() throws Exception {
        Promtool.require();
        Path dir = Files.createTempDirectory("cms-prometheus-");
        try {
            Files.writeString(dir.resolve("prometheus-token"), "cms_x_y\n");
            Files.writeString(dir.resolve("cms-token"), "cms_x_y\n");
            for (String name : List.of("prometheus-dev.yml", "prometheus-hosts.yml")) {
                Path config = Files.copy(DeployUnits.DEPLOY.resolve("prometheus").resolve(name), dir.resolve(name));
                Promtool.Result check = Promtool.checkConfig(config);
                assertEquals(0, check.exit(), name + ": " + check.output());
                assertTrue(check.output().contains("SUCCESS"), check.output());
                String text = Files.readString(config);
                for (String job : List.of("cms-rm", "cms-node-daemon", "cms-elasticity", "cms-balancer", "cms-web")) {
                    assertTrue(text.contains("job_name: " + job), name + " scrapes " + job);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
