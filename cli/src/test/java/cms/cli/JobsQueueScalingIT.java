package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobEvent;
import cms.core.event.ScalingDecision;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Elasticity on the job queue, end to end: a pod with elasticity 0..3 on metric {@code queue} has no
 * node; jobs submitted to it wait in its queue, the queue depth the resource manager publishes makes the
 * elasticity service grow the pod, the jobs run and all succeed, and with the queue empty the pod goes
 * back to 0 nodes.
 */
class JobsQueueScalingIT {

    @BeforeAll
    static void haproxy() {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
    }

    private static JsonNode nodes(TestCluster cms) {
        return cms.api().get("/api/pods/qs").data().get("nodes");
    }

    private static long online(TestCluster cms) {
        long n = 0;
        for (JsonNode node : nodes(cms)) {
            n += node.get("state").asText().equals("ONLINE") && !node.get("removing").asBoolean() ? 1 : 0;
        }
        return n;
    }

    @Test
    void queuedJobsGrowAPodFromZeroAndItShrinksBackToZero() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager(Map.of("CMS_RM_DRAIN_TIMEOUT_MS", "15000"))
                .withHost("it-host").withWeb(Map.of()).withBalancer(Map.of("CMS_BALANCER", "haproxy"))
                .withElasticity(Map.of());
             JobEventsTap tap = new JobEventsTap(cms.broker.bootstrapServers())) {
            assertEquals(0, cms.cloud("pod", "register", "qs", "--workload", "medium", "--cpu", "0.5",
                    "--frontend-port", String.valueOf(TestCluster.freePort())).exit());
            TestCluster.Run enable = cms.cloud("elasticity", "enable", "qs", "0", "3", "--mode", "target", "--metric",
                    "queue", "--target", "8", "--scale-out-window", "1", "--scale-in-window", "5",
                    "--scale-out-cooldown", "2", "--scale-in-cooldown", "2");
            assertEquals(0, enable.exit(), enable::toString);
            assertEquals(0, nodes(cms).size(), "MIN 0: no node yet");

            int n = 60;
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add("q-" + i);
                assertEquals(0, cms.cloud("job", "submit", "qs", "--id", "q-" + i).exit());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> online(cms) >= 1);
            await().atMost(Duration.ofMinutes(2)).until(() -> tap.ended() >= n);
            JobsIT.endedOnceEach(tap.readAll(), ids);
            await().atMost(Duration.ofSeconds(60)).until(() -> nodes(cms).size() == 0);

            List<ScalingDecision> decisions = new ArrayList<>();
            CompactedTopicReader.readAll(new KafkaSettings(cms.broker.bootstrapServers()), "it-scaling",
                    Topics.SCALING, Duration.ofSeconds(30), r -> {
                        try {
                            ScalingDecision d = new cms.core.codec.EventCodec().decode(r.value(), ScalingDecision.class);
                            if (d.pod().equals("qs")) {
                                decisions.add(d);
                            }
                        } catch (cms.core.codec.UndecodableRecordException e) {
                            throw new AssertionError(e);
                        }
                    });
            System.out.printf("queue scaling decisions: %s%n", decisions.stream()
                    .map(d -> d.fromNodes() + "→" + d.toNodes() + " (" + d.reason() + ")").toList());
            assertEquals(0, decisions.get(0).fromNodes(), decisions::toString);
            assertTrue(decisions.get(0).toNodes() >= 1, decisions::toString);
            assertTrue(decisions.get(0).reason().contains("queue"), decisions::toString);
            assertEquals(0, decisions.get(decisions.size() - 1).toNodes(), decisions::toString);
            assertTrue(decisions.stream().allMatch(d -> d.toNodes() >= 0 && d.toNodes() <= 3), decisions::toString);
            assertTrue(tap.events("q-0").stream().anyMatch(e -> e instanceof JobEvent.JobSucceeded));
        }
    }
}
