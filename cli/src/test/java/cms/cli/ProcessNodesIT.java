package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.nodedaemon.driver.RunningNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The node contract with nodes as local processes. */
class ProcessNodesIT extends NodeLifecycleContract {

    @Override
    Map<String, String> driverSettings() {
        return Map.of("CMS_NODE_DRIVER", "process");
    }

    @Override
    void killBehindItsBack(RunningNode node) {
        killPid(Long.parseLong(node.driverId()));
    }

    @Override
    void assertLimits(RunningNode node, double cpus, int memoryMb) throws Exception {
        Path cpu = Path.of("/sys/fs/cgroup/cpu/cms", node.node());
        Path memory = Path.of("/sys/fs/cgroup/memory/cms", node.node());
        Path v2 = Path.of("/sys/fs/cgroup/cms", node.node());
        if (Files.isDirectory(v2)) {
            assertEquals(Math.round(cpus * 100_000) + " 100000", Files.readString(v2.resolve("cpu.max")).strip());
            assertEquals(String.valueOf(memoryMb * 1024L * 1024L), Files.readString(v2.resolve("memory.max")).strip());
            return;
        }
        if (!Files.isDirectory(cpu)) {
            // the driver says in its log when the machine does not let it use cgroups; nothing to check then
            System.out.println("no cgroup for " + node.node() + " on this machine: process limits not checked");
            return;
        }
        assertEquals(String.valueOf(Math.round(cpus * 100_000)), Files.readString(cpu.resolve("cpu.cfs_quota_us")).strip());
        assertEquals("100000", Files.readString(cpu.resolve("cpu.cfs_period_us")).strip());
        assertEquals(String.valueOf(memoryMb * 1024L * 1024L),
                Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
        assertTrue(Files.readString(cpu.resolve("cgroup.procs")).contains(node.driverId()));
    }

    @Override
    void badImage() {
        assertEquals(0, cms.cloud("pod", "register", "img", "--image", "cms/none:1", "--port", "80").exit());
        assertEquals(0, cms.cloud("register", "i1", "img").exit());
        assertEquals(0, cms.cloud("launch", "img").exit());
        await().atMost(Duration.ofSeconds(10)).until(() -> state("img", "i1"), "FAILED"::equals);
        assertTrue(node("img", "i1").get("reason").asText().contains("needs Docker"), () -> node("img", "i1").toString());
    }

    @Override
    boolean enforcesCpuLimits() {
        Path v1 = Path.of("/sys/fs/cgroup/cpu");
        Path v2 = Path.of("/sys/fs/cgroup");
        return Files.isDirectory(v1) && Files.isWritable(v1)
                || Files.exists(v2.resolve("cgroup.controllers")) && Files.isWritable(v2);
    }

    @Override
    void removeLeftovers(Path nodeDir) throws Exception {
        if (!Files.isDirectory(nodeDir)) {
            return;
        }
        try (var files = Files.list(nodeDir)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".properties")).toList()) {
                java.util.Properties p = new java.util.Properties();
                try (var in = Files.newInputStream(f)) {
                    p.load(in);
                }
                killPid(Long.parseLong(p.getProperty("pid")));
            }
        }
    }
}
