package cms.cli;

import cms.core.auth.Role;
import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import cms.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A real CMS for integration tests: an embedded KRaft broker in a temporary directory on free ports,
 * and the services a test asks for. Everything it starts it stops, and it deletes its directory.
 */
final class TestCluster implements AutoCloseable {

    final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    volatile EmbeddedKafka broker;
    WebServer web;
    final Services services = new Services();
    final List<cms.nodedaemon.NodeDaemon> daemons = new ArrayList<>();
    final List<cms.balancer.BalancerLoop> balancers = new ArrayList<>();
    String apiUrl;
    private AutoCloseable resourceManager;
    /** The admin token of this cluster, stored on its tokens topic before any service starts. */
    final String token;

    TestCluster() {
        try {
            dir = Files.createTempDirectory("cms-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        brokerPort = freePort();
        controllerPort = freePort();
        broker = EmbeddedKafka.start(dir.resolve("kafka"), brokerPort, controllerPort);
        token = InstallTokens.store(new KafkaSettings(broker.bootstrapServers()), "it-admin", Role.ADMIN).text();
    }

    /** A join token for {@code hostId}, stored on this cluster's tokens topic (as {@code cloud host join-token}). */
    String joinToken(String hostId) {
        return InstallTokens.join(new KafkaSettings(broker.bootstrapServers()), hostId);
    }

    /** A JSON client of this cluster's API that sends its admin token. */
    JsonHttp api() {
        return new JsonHttp(apiUrl, token);
    }

    /** Stops the broker (an outage); {@link #startBroker()} brings it back on the same ports and data. */
    void stopBroker() {
        broker.close();
    }

    void startBroker() {
        broker = EmbeddedKafka.start(dir.resolve("kafka"), brokerPort, controllerPort);
    }

    /** Every committed record of {@code topic} from its start to its end now. */
    List<ConsumerRecord<String, byte[]>> records(String topic) {
        Map<String, Object> props = new KafkaSettings(broker.bootstrapServers()).consumer("it-reader", null);
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static int freePort() {
        try {
            return BenchCommand.DevProcess.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings for services of this cluster; extra keys override. */
    Settings settings(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(extra);
        m.put(KafkaSettings.KEY, broker.bootstrapServers());
        m.putIfAbsent("CMS_WEB_PORT", "0");
        for (cms.core.metrics.MetricsConfig.Service service : cms.core.metrics.MetricsConfig.Service.values()) {
            m.putIfAbsent(service.portKey(), "0"); // /metrics on free ports: a test may start several of a kind
        }
        m.putIfAbsent("CMS_HOST_ID", "it-host");
        return new Settings(m);
    }

    TestCluster withWeb(Map<String, String> extra) {
        web = services.web(settings(extra));
        apiUrl = web.url();
        return this;
    }

    TestCluster withResourceManager() throws InterruptedException {
        return withResourceManager(Map.of());
    }

    TestCluster withResourceManager(Map<String, String> extra) throws InterruptedException {
        resourceManager = services.resourceManager(settings(extra));
        return this;
    }

    /** Stops the resource manager and starts a new one (it loads its state from Kafka again). */
    void restartResourceManager() throws InterruptedException {
        services.closeNow(resourceManager);
        resourceManager = services.resourceManager(settings(Map.of()));
    }

    /** A node daemon for {@code hostId} running nodes as local processes (state under this cluster's dir). */
    TestCluster withHost(String hostId) {
        return withHost(hostId, Map.of("CMS_NODE_DRIVER", "process"));
    }

    /** A node daemon for {@code hostId} with these extra settings (e.g. CMS_NODE_DRIVER=docker). */
    TestCluster withHost(String hostId, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(extra);
        m.put("CMS_HOST_ID", hostId);
        // it joins as an operator's host does: with a join token for its id (extra's own, even blank, wins)
        m.putIfAbsent("CMS_JOIN_TOKEN", joinToken(hostId));
        m.putIfAbsent("CMS_NODE_DIR", dir.resolve("nodes-" + hostId).toString());
        daemons.add(services.nodeDaemon(settings(m)));
        return this;
    }

    /** The balancer service (HAProxy unless {@code extra} says otherwise), its files under this cluster's dir. */
    TestCluster withBalancer(Map<String, String> extra) throws InterruptedException {
        Map<String, String> m = new HashMap<>(extra);
        m.putIfAbsent("CMS_BALANCER_DIR", dir.resolve("balancer").toString());
        balancers.add(services.balancer(settings(m)));
        return this;
    }

    /** The elasticity service with these settings (e.g. short windows). */
    TestCluster withElasticity(Map<String, String> extra) {
        services.elasticity(settings(extra));
        return this;
    }

    /** The result of one {@code cloud} run. */
    record Run(int exit, String out, String err) {
    }

    Run cloud(String... args) {
        return cloudAt(apiUrl, token, args);
    }

    /** One {@code cloud} run against the API at {@code api} with {@code token} (null: none), in this JVM. */
    static Run cloudAt(String api, String token, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Stream<String> auth = token == null ? Stream.of() : Stream.of("--token", token);
        String[] full = Stream.concat(Stream.concat(Stream.of("--url", api), auth), Stream.of(args))
                .toArray(String[]::new);
        int exit = CloudCommand.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        daemons.forEach(cms.nodedaemon.NodeDaemon::removeAllNodes);
        balancers.forEach(cms.balancer.BalancerLoop::removeAllPools);
        services.close();
        broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
