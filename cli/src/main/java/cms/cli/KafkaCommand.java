package cms.cli;

import cms.core.config.ConfigException;
import cms.core.config.NetAddress;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cms kafka}: the single-node KRaft broker that {@code cms dev} embeds, in a process of its own, so
 * that the other services can be run against it with {@code --kafka} (or {@code CMS_KAFKA}) and it can be
 * stopped and started on its own: a development broker, and the broker of the outage and many-host
 * tests. It listens on, and advertises, {@code --address} (default 127.0.0.1); for a real cluster see
 * {@code deploy/kafka/}.
 */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "Run the development Kafka broker (single-node KRaft, on 127.0.0.1 unless --address) on its own.")
final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--address", description = "the address it listens on and advertises to clients, which must "
            + "reach it there (default 127.0.0.1)")
    String address = EmbeddedKafka.LOOPBACK;

    @Option(names = "--port", description = "the broker's port (default 9092)")
    int port = 9092;

    @Option(names = "--controller-port", description = "the KRaft controller's port (default: the broker's + 1)")
    Integer controllerPort;

    @Option(names = "--data-dir", description = "where the broker keeps its data (default .cms/kafka)")
    Path dataDir = Path.of(".cms", "kafka");

    private final PrintStream out;

    KafkaCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        String advertised = NetAddress.check("--address", address, false);
        int controller = controllerPort == null ? port + 1 : controllerPort;
        for (int p : new int[]{port, controller}) {
            if (p < 1 || p > 65535 || port == controller) {
                throw new ConfigException("--port " + port + " and --controller-port " + controller
                        + " must be two different ports within [1, 65535]");
            }
        }
        EmbeddedKafka broker = EmbeddedKafka.start(dataDir, advertised, port, controller);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "cms-kafka-shutdown"));
        out.println("kafka: broker at " + broker.bootstrapServers() + " (data in " + dataDir + ")");
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }
}
