package cms.nodedaemon;

import cms.core.codec.EventCodec;
import cms.core.metrics.ServiceMetrics;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.NodeCommand;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.Liveness;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.Subscription;
import cms.core.topic.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code commands} for this host and carries them out through the supervisor; offsets are
 * committed only after a batch's effects are done, so a killed daemon repeats rather than loses a
 * command (launch and stop are idempotent by node name). It runs on the one {@link ConsumerLoop}: a
 * command it cannot read goes to dead-letter, a Kafka fault is waited out with new clients.
 */
final class CommandLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLoop.class);

    /** A launch command older than this is not carried out (its node was long since given up on). */
    static final Duration STALE_LAUNCH = Duration.ofMinutes(10);

    private final String hostId;
    private final java.time.Clock clock;
    private final EventCodec codec;
    private final NodeSupervisor supervisor;
    private final ConsumerLoop loop;

    CommandLoop(String hostId, java.time.Clock clock, KafkaSettings kafka, EventCodec codec, NodeSupervisor supervisor,
                Liveness liveness, java.util.function.Consumer<String> onFatal) {
        this(hostId, clock, kafka, codec, supervisor, liveness, onFatal, ServiceMetrics.none());
    }

    CommandLoop(String hostId, java.time.Clock clock, KafkaSettings kafka, EventCodec codec, NodeSupervisor supervisor,
                Liveness liveness, java.util.function.Consumer<String> onFatal, ServiceMetrics metrics) {
        this.hostId = hostId;
        this.clock = clock;
        this.codec = codec;
        this.supervisor = supervisor;
        String name = "cms-node-daemon-" + hostId;
        this.loop = ConsumerLoop.builder(name)
                .consumer(() -> {
                    Map<String, Object> props = kafka.consumer(name, name);
                    props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "node-daemon-" + hostId);
                    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
                    return new KafkaConsumer<>(props);
                })
                .producer(() -> new KafkaProducer<>(kafka.producer(name, null)), false)
                .subscription(Subscription.group(Topics.COMMANDS))
                .handler((r, session) -> handle(r))
                .codec(codec).clock(clock).liveness(liveness).onFatal(onFatal).metrics(metrics)
                .pollTimeout(Duration.ofMillis(500)).build();
    }

    void start() {
        loop.start();
    }

    LoopHealth health() {
        return loop.health();
    }

    /**
     * Carries out one record. Whatever goes wrong with one command stays with it: the supervisor turns a
     * driver fault into a FAILED node. A command that cannot be read throws (the loop sends it to
     * dead-letter); one whose events could not be written throws the Kafka fault, and the loop reads it
     * again with new clients (launch and stop are idempotent).
     */
    void handle(ConsumerRecord<String, byte[]> r) throws UndecodableRecordException {
        if (r.key() != null && !r.key().equals(hostId)) {
            return;
        }
        NodeCommand command = codec.decode(r.value(), NodeCommand.class);
        if (!hostId.equals(command.hostId())) {
            return;
        }
        // names become container names, labels and folders under CMS_NODE_DIR: a command whose names the
        // resource manager would never have made (e.g. "../x") goes to dead-letter with the reason
        String node = command instanceof NodeCommand.LaunchNode l ? l.node()
                : command instanceof NodeCommand.StopNode st ? st.node() : null;
        String pod = command instanceof NodeCommand.LaunchNode l ? l.pod()
                : command instanceof NodeCommand.StopNode st ? st.pod() : null;
        var problem = cms.core.model.Names.nameProblem(node).map(p -> "node: " + p)
                .or(() -> pod == null ? java.util.Optional.empty() : cms.core.model.Names.nameProblem(pod).map(p -> "pod: " + p));
        if (problem.isPresent()) {
            throw new UndecodableRecordException("command " + command.getClass().getSimpleName() + " refused: "
                    + problem.get());
        }
        if (command instanceof NodeCommand.LaunchNode launch) {
            if (launch.at().plus(STALE_LAUNCH).isBefore(clock.instant())) {
                LOG.warn("host={} node={} launch command of {} ignored: older than {}", hostId, launch.node(),
                        launch.at(), STALE_LAUNCH);
                return;
            }
            supervisor.launch(launch);
        } else if (command instanceof NodeCommand.StopNode stop) {
            supervisor.stop(stop);
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
