package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.NodeEvent;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import cms.nodedaemon.driver.RunningNode;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

    @Test
    void aNodeThatIsNeverHealthyIsFailedAtItsStartTimeoutAndItsContainerRemoved() throws Exception {
        cluster(Map.of("CMS_NODE_START_TIMEOUT_MS", "3000"));
        assertEquals(0, cms.cloud("init").exit());
        // the workload answers GET /job with 405: its health check never passes
        assertEquals(0, cms.cloud("pod", "register", "sick", "--image", "cms/workload:dev", "--port", "8080",
                "--health-path", "/job").exit());
        assertEquals(0, cms.cloud("register", "s1", "sick").exit());
        await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("launch", "sick").exit() == 0);
        await().atMost(ONLINE_WITHIN).until(() -> state("sick", "s1"), "FAILED"::equals);
        // the reason, then the restart countdown once the pod's restart policy has planned it
        String reason = node("sick", "s1").get("reason").asText();
        assertTrue(reason.startsWith("not healthy within 3 s: health check /job did not pass"), reason);
        await().atMost(Duration.ofSeconds(15)).until(() -> daemon().nodes().isEmpty());
        assertEquals("", exec("docker", "ps", "-aq", "--filter", "label=cms.node=s1", "--filter", "label=cms.host=it-host"));
    }

    /**
     * Restarts the Docker engine itself, so only the one {@code test.sh} started (its pid file); skipped when
     * the engine is someone else's. Every container stops with it; the daemon must start them again.
     */
    @Test
    void afterADockerEngineRestartTheNodesComeBackOnlineAndNoneIsFailed() throws Exception {
        Optional<OwnDockerEngine> engine = OwnDockerEngine.find();
        Assumptions.assumeTrue(engine.isPresent(), "no Docker engine of test.sh to restart (" + OwnDockerEngine.PID_FILE
                + " missing or stale)");
        cluster(Map.of());
        assertEquals(0, cms.cloud("init").exit());
        launchOnline("light", "n1");
        launchOnline("light", "n2");
        try (MetricsTap tap = new MetricsTap(cms.broker.bootstrapServers())) {
            Instant back = restart(engine.get());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> answers("light", "n1") && answers("light", "n2"));
            double seconds = Duration.between(back, Instant.now()).toMillis() / 1000.0;
            System.out.printf("Docker engine back -> every node ONLINE and answering again in %.2f s%n", seconds);
            assertEquals(List.of(), failedNodeEvents(), "no node reported FAILED");
            assertEquals(2, daemon().nodes().stream().filter(RunningNode::running).count());
            Instant online = Instant.now();
            // usage samples of n1 again: its stats stream was subscribed again
            await().atMost(Duration.ofSeconds(10)).until(() -> tap.count("n1", online, Instant.now()) >= 2);
        }
        // the daemon's event stream works again: a node killed now is FAILED at once
        killBehindItsBack(running("n2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> state("light", "n2"), "FAILED"::equals);
    }

    /** Restarts our engine; fails only where real parts are required, else skips, when that fails. */
    private static Instant restart(OwnDockerEngine engine) {
        try {
            return engine.restart(Duration.ofSeconds(45));
        } catch (Exception e) {
            if (Boolean.getBoolean("cms.requireRealParts")) {
                throw new AssertionError("the Docker engine " + engine.pid() + " could not be restarted: " + e.getMessage(), e);
            }
            Assumptions.abort("the Docker engine could not be restarted: " + e);
            throw new IllegalStateException(e); // not reached
        }
    }

    /** The resource manager has the node ONLINE, and its health answers at the address it has. */
    private boolean answers(String pod, String name) {
        try {
            JsonNode n = node(pod, name);
            if (n == null || !n.get("state").asText().equals("ONLINE")) {
                return false;
            }
            java.net.http.HttpRequest health = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://"
                    + n.get("address").asText() + ":" + n.get("port").asInt() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(health,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"node\":\"" + name + "\"");
        } catch (Exception e) {
            return false;
        }
    }

    private List<String> failedNodeEvents() {
        EventCodec codec = new EventCodec();
        List<String> failed = new ArrayList<>();
        CompactedTopicReader.readAll(new KafkaSettings(cms.broker.bootstrapServers()), "it-node-events",
                Topics.NODE_EVENTS, Duration.ofSeconds(20), r -> {
                    try {
                        if (codec.decode(r.value(), NodeEvent.class) instanceof NodeEvent.NodeFailed f) {
                            failed.add(f.node() + ": " + f.reason());
                        }
                    } catch (cms.core.codec.UndecodableRecordException e) {
                        failed.add("undecodable: " + e.getMessage());
                    }
                });
        return failed;
    }
}
