package cms.nodedaemon;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.NodeCommand;
import cms.core.kafka.DeadLetters;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.LoopControl;
import cms.core.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code commands} for this host and carries them out through the supervisor; offsets are
 * committed only after a batch's effects are done, so a killed daemon repeats rather than loses a
 * command (launch and stop are idempotent by node name).
 */
final class CommandLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLoop.class);

    /** A launch command older than this is not carried out (its node was long since given up on). */
    static final Duration STALE_LAUNCH = Duration.ofMinutes(10);

    private final String hostId;
    private final java.time.Clock clock;
    private final KafkaSettings kafka;
    private final EventCodec codec;
    private final NodeSupervisor supervisor;
    private final DeadLetters deadLetters;
    private final LoopControl control = new LoopControl();
    private final Thread thread;

    CommandLoop(String hostId, java.time.Clock clock, KafkaSettings kafka, EventCodec codec, NodeSupervisor supervisor,
                DeadLetters deadLetters) {
        this.hostId = hostId;
        this.clock = clock;
        this.kafka = kafka;
        this.codec = codec;
        this.supervisor = supervisor;
        this.deadLetters = deadLetters;
        this.thread = new Thread(this::run, "cms-node-commands");
    }

    void start() {
        thread.start();
    }

    private void run() {
        Map<String, Object> props = kafka.consumer("cms-node-daemon-" + hostId, "cms-node-daemon-" + hostId);
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "node-daemon-" + hostId);
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            control.attach(c);
            c.subscribe(List.of(Topics.COMMANDS.topicName()));
            while (control.running()) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    handle(r);
                }
                if (!records.isEmpty()) {
                    c.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (control.running()) {
                LOG.error("host={} command loop woken up unexpectedly", hostId, e);
            }
        } catch (RuntimeException e) {
            LOG.error("host={} command loop stopped: {}", hostId, e.toString(), e);
        } finally {
            control.ended();
        }
    }

    /**
     * Carries out one record. Whatever goes wrong with one command stays with it: the supervisor turns a
     * driver fault into a FAILED node; anything else (its events could not be written) sends the record to
     * dead-letter with the reason, and the loop goes on.
     */
    void handle(ConsumerRecord<String, byte[]> r) {
        if (r.key() != null && !r.key().equals(hostId)) {
            return;
        }
        NodeCommand command;
        try {
            command = codec.decode(r.value(), NodeCommand.class);
        } catch (UndecodableRecordException e) {
            deadLetters.send(r, e.getMessage());
            return;
        }
        if (!hostId.equals(command.hostId())) {
            return;
        }
        try {
            carryOut(command);
        } catch (RuntimeException e) {
            LOG.error("host={} node={} {} failed: {}", hostId, command.node(), command.getClass().getSimpleName(),
                    e.toString(), e);
            deadLetters.send(r, command.getClass().getSimpleName() + " of node " + command.node() + " failed: " + e);
        }
    }

    private void carryOut(NodeCommand command) {
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
        control.stop(Duration.ofSeconds(15));
    }
}
