package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.nodedaemon.driver.RunningNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The node contract with nodes as Docker containers (a real engine and the locally built image). */
class DockerNodesIT extends NodeLifecycleContract {

    @BeforeAll
    static void engineAndImage() throws Exception {
        RealParts.require("a Docker engine with the image cms/workload:dev (deploy/images/build.sh)",
                () -> exec("docker", "image", "inspect", "-f", "ok", "cms/workload:dev").equals("ok"));
    }

    @Override
    Map<String, String> driverSettings() {
        return Map.of("CMS_NODE_DRIVER", "docker");
    }

    @Override
    void killBehindItsBack(RunningNode node) throws Exception {
        assertEquals(node.driverId(), exec("docker", "kill", node.driverId()));
    }

    @Override
    void assertLimits(RunningNode node, double cpus, int memoryMb) throws Exception {
        String got = exec("docker", "inspect", "-f",
                "{{.HostConfig.CpuQuota}} {{.HostConfig.CpuPeriod}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} "
                        + "{{index .Config.Labels \"cms.pod\"}} {{index .Config.Labels \"cms.node\"}}", node.driverId());
        long bytes = memoryMb * 1024L * 1024L;
        assertEquals(Math.round(cpus * 100_000) + " 100000 " + bytes + " " + bytes + " " + node.pod() + " " + node.node(),
                got);
    }

    @Override
    void badImage() {
        assertEquals(0, cms.cloud("pod", "register", "img", "--image", "cms/none:1", "--port", "80").exit());
        assertEquals(0, cms.cloud("register", "i1", "img").exit());
        assertEquals(0, cms.cloud("launch", "img").exit());
        await().atMost(Duration.ofSeconds(60)).until(() -> state("img", "i1"), "FAILED"::equals);
        assertTrue(node("img", "i1").get("reason").asText().contains("image 'cms/none:1' is not on host"),
                () -> node("img", "i1").toString());
    }

    @Override
    boolean enforcesCpuLimits() {
        return true;
    }

    @Override
    void removeLeftovers(java.nio.file.Path nodeDir) throws Exception {
        String ids = exec("docker", "ps", "-aq", "--filter", "label=cms.host=it-host");
        for (String id : ids.split("\\s+")) {
            if (!id.isBlank()) {
                exec("docker", "rm", "-f", id);
            }
        }
    }
}
