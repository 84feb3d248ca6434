package cms.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM, on
 * Kafka's own server code. Its log directory is kept, so a restarted {@code cms dev} finds its topics
 * and the resource manager its state.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** Where the broker listens unless told otherwise: loopback only, as {@code cms dev} wants it. */
    public static final String LOOPBACK = "127.0.0.1";

    private final String address;
    private final int port;
    private final KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(String address, int port, KafkaRaftServer server) {
        this.address = address;
        this.port = port;
        this.server = server;
    }

    /** Formats the log directory if it is new, then starts the broker on 127.0.0.1:{@code port}. */
    public static EmbeddedKafka start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, LOOPBACK, port, controllerPort);
    }

    /**
     * Formats the log directory if it is new, then starts the broker listening on, and advertising,
     * {@code address:port} (its controller on {@code address:controllerPort}): the address clients on
     * other hosts reach it at.
     */
    public static EmbeddedKafka start(Path dataDir, String address, int port, int controllerPort) {
        return start(dataDir, properties(dataDir, address, port, controllerPort), address, port, List.of());
    }

    /**
     * Starts a broker with exactly {@code props} (a secured one, for example), listening for clients on
     * {@code address:port}; its storage is formatted, if new, with {@code formatArgs} added to Kafka's
     * storage tool (e.g. {@code --add-scram SCRAM-SHA-512=[name=admin,password=…]}).
     */
    public static EmbeddedKafka start(Path dataDir, Properties props, String address, int port, List<String> formatArgs) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                props.store(out, "written by cms");
            }
            format(dataDir, file, formatArgs);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            LOG.info("embedded Kafka broker on {}:{} (data in {})", address, port, dataDir);
            return new EmbeddedKafka(address, port, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's directory " + dataDir, e);
        }
    }

    static Properties properties(Path dataDir, String address, int port, int controllerPort) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("logs").toAbsolutePath().toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("log.cleaner.backoff.ms", "5000");
        return p;
    }

    private static void format(Path dataDir, Path file, List<String> extra) throws IOException {
        Path idFile = dataDir.resolve("cluster.id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(idFile).trim();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("format", "-t", clusterId, "-c", file.toString(),
                "--ignore-formatted"));
        args.addAll(extra);
        int rc = StorageTool.execute(args.toArray(String[]::new), new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting the embedded broker's storage failed: "
                    + captured.toString(StandardCharsets.UTF_8).trim());
        }
    }

    public String bootstrapServers() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("embedded Kafka broker stopped");
    }
}
