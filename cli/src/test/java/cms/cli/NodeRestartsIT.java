package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.NodeCommand;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Restarts with real parts (embedded Kafka, resource manager, elasticity, a node daemon with the process
 * driver, web API, {@code cloud}): the process driver cannot run an image, so every node of an image pod
 * fails at once, as a crashing image would. With the back-off set to 1 s doubling up to 8 s, an elastic
 * pod (min 2) keeps its two nodes and launches each again with growing gaps (each at least its back-off;
 * the resource manager acts once a second); a pod with restart policy
 * {@code never} leaves its node FAILED, and forgets it after the retention time.
 */
class NodeRestartsIT {

    private static final long FIRST_MS = 1000;
    private static final long LONGEST_MS = 8000;
    private static final int RESTARTS = 4;

    @Test
    void aNodeThatFailsAtOnceComesBackWithGrowingGapsAndItsPodStaysSmall() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager(Map.of(
                "CMS_RM_RESTART_BACKOFF_MIN_MS", String.valueOf(FIRST_MS),
                "CMS_RM_RESTART_BACKOFF_MAX_MS", String.valueOf(LONGEST_MS),
                "CMS_RM_NODE_RETENTION_MS", "3000"))
                .withHost("it-host").withElasticity(Map.of()).withWeb(Map.of())) {
            JsonHttp api = cms.api();
            assertEquals(0, cms.cloud("pod", "register", "crash", "--image", "cms/none:1", "--port", "80").exit());
            assertEquals(0, cms.cloud("pod", "register", "once", "--image", "cms/none:1", "--port", "80",
                    "--restart-policy", "never").exit());
            assertTrue(cms.cloud("pod", "ls").out().matches("(?s).*once\\s.*\\snever\\n.*"), cms.cloud("pod", "ls").out());
            assertEquals(0, cms.cloud("register", "o1", "once").exit());
            assertEquals(0, cms.cloud("launch", "once").exit());
            assertEquals(0, cms.cloud("elasticity", "enable", "crash", "2", "3").exit());

            AtomicInteger mostNodes = new AtomicInteger();
            AtomicInteger largestPod = new AtomicInteger();
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
                JsonHttp.Response r = api.get("/api/pods/crash");
                JsonNode nodes = r.data().get("nodes");
                mostNodes.accumulateAndGet(nodes.size(), Math::max);
                largestPod.accumulateAndGet(r.data().toString().getBytes(StandardCharsets.UTF_8).length, Math::max);
                int fewest = Integer.MAX_VALUE;
                for (JsonNode n : nodes) {
                    fewest = Math.min(fewest, n.path("restarts").asInt(0));
                }
                return nodes.size() == 2 && fewest >= RESTARTS;
            });
            double seconds = (System.nanoTime() - t0) / 1e9;

            Map<String, List<Instant>> launches = launches(cms.broker.bootstrapServers());
            assertEquals(List.of("crash-1", "crash-2", "o1"), List.copyOf(launches.keySet()), launches::toString);
            for (String node : List.of("crash-1", "crash-2")) {
                List<Long> gaps = gapsMs(launches.get(node));
                System.out.printf("%s launched %d times, gaps %s ms%n", node, launches.get(node).size(), gaps);
                long wait = FIRST_MS;
                for (int i = 0; i < RESTARTS; i++) {
                    wait = i == 0 ? FIRST_MS : Math.min(LONGEST_MS, 2 * wait);
                    assertTrue(gaps.get(i) >= wait, node + ": gap " + i + " of " + gaps.get(i) + " ms is below its back-off "
                            + wait + " ms; gaps " + gaps);
                }
                // each gap is its back-off plus the way from launch to failure and the next tick: that latency
                // (about a second, more on a busy machine) is in every gap, the doubling only in the later ones
                assertTrue(gaps.get(RESTARTS - 1) - gaps.get(0) >= (wait - FIRST_MS) / 2, node + ": the gaps grow: "
                        + gaps);
            }
            assertEquals(1, launches.get("o1").size(), "restart policy never: launched once");
            assertEquals(2, mostNodes.get(), "the pod kept its 2 nodes: no new node per failure");
            assertTrue(largestPod.get() < 2048, "pod of " + largestPod.get() + " bytes");
            System.out.printf("failing image on an elastic pod: %d restarts of each node in %.1f s, at most %d nodes, "
                    + "pod JSON at most %d bytes%n", RESTARTS, seconds, mostNodes.get(), largestPod.get());

            // between a launch and its failure a node is STARTING for a moment; mostly it waits, and says so
            await().atMost(Duration.ofSeconds(10)).until(() -> cms.cloud("node", "ls", "crash").out(),
                    out -> out.contains("RESTARTS") && out.matches("(?s).*crash-\\d\\s+crash\\s+FAILED\\s.*\\s[4-9]\\s+"
                            + "image cms/none:1 needs Docker.*; restart [5-9] in \\d+ s.*"));
            // restart policy never: o1 stayed FAILED, then was forgotten after the retention time (3 s)
            await().atMost(Duration.ofSeconds(15)).until(() -> api.get("/api/pods/once").data().get("nodes").isEmpty());
        }
    }

    @Test
    void anUnknownRestartPolicyIsRefusedNamingTheField() throws Exception {
        try (TestCluster cms = new TestCluster().withResourceManager().withWeb(Map.of())) {
            TestCluster.Run r = cms.cloud("pod", "register", "web", "--restart-policy", "sometimes");
            assertEquals(CloudCommand.REFUSED, r.exit());
            assertTrue(r.err().contains("restart_policy: 'sometimes' is not one of always, never"), r.err());
            JsonHttp.Response http = cms.api().post("/api/pods",
                    "{\"name\":\"web\",\"restart_policy\":7}");
            assertEquals(400, http.status(), http::toString);
            assertTrue(http.body().contains("restart_policy"), http::toString);
            assertEquals(0, cms.cloud("pod", "register", "web", "--restart-policy", "never").exit());
            assertEquals("never", cms.api().get("/api/pods/web").data().get("restart_policy").asText());
        }
    }

    /** The launch commands on {@code commands}, by node, in order (read to the topic's end). */
    private static Map<String, List<Instant>> launches(String bootstrap) {
        EventCodec codec = new EventCodec();
        Map<String, List<Instant>> byNode = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(new KafkaSettings(bootstrap)
                .consumer("it-node-restarts", null))) {
            List<TopicPartition> partitions = c.partitionsFor(Topics.COMMANDS.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (codec.decode(r.value(), NodeCommand.class) instanceof NodeCommand.LaunchNode l) {
                        byNode.computeIfAbsent(l.node(), k -> new ArrayList<>()).add(l.at());
                    }
                }
            }
        } catch (UndecodableRecordException e) {
            throw new AssertionError("unreadable command: " + e.getMessage(), e);
        }
        byNode.values().forEach(list -> list.sort(null));
        return byNode;
    }

    private static List<Long> gapsMs(List<Instant> times) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(Duration.between(times.get(i - 1), times.get(i)).toMillis());
        }
        return gaps;
    }
}
