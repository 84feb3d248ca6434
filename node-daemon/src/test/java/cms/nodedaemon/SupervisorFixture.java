package cms.nodedaemon;

import cms.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.kafka.EventPublisher;
import cms.core.model.Workload;
import cms.core.topic.Topics;
import cms.nodedaemon.driver.FakeNodeDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A {@link NodeSupervisor} on host h1 over a fake driver, a fake probe, a mutable clock and a MockProducer. */
final class SupervisorFixture implements AutoCloseable {

    static final String HOST = "h1";
    static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_GRACE = Duration.ofSeconds(5);

    final MutableClock clock = new MutableClock(T0);
    final FakeNodeDriver driver = new FakeNodeDriver();
    final FakeHealthProbe probe = new FakeHealthProbe();
    final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    final EventCodec codec = new EventCodec();
    final NodeSupervisor supervisor = new NodeSupervisor(HOST, driver, new EventPublisher(producer, codec), probe,
            clock, START_TIMEOUT, STOP_GRACE);

    static NodeCommand.LaunchNode launchCommand(String node, Workload workload) {
        return new NodeCommand.LaunchNode("e-" + node, 1, T0, HOST, node, "web", workload, 0.5, 256);
    }

    static NodeCommand.LaunchNode launchCommand(String node) {
        return launchCommand(node, Workload.builtin(Workload.Builtin.LIGHT));
    }

    static NodeCommand.StopNode stopCommand(String node) {
        return new NodeCommand.StopNode("s-" + node, 1, T0, HOST, node, "web");
    }

    /** Every node event published so far, decoded; checks topic and key of each record. */
    List<NodeEvent> events() {
        List<NodeEvent> out = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : producer.history()) {
            assertEquals(Topics.NODE_EVENTS.topicName(), r.topic(), "topic of " + r);
            try {
                NodeEvent e = codec.decode(r.value(), NodeEvent.class);
                assertEquals(e.node(), r.key(), "key of " + e);
                out.add(e);
            } catch (UndecodableRecordException e) {
                throw new AssertionError("undecodable node event: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** The only event published so far, which must be of the given type. */
    <T extends NodeEvent> T onlyEvent(Class<T> type) {
        List<NodeEvent> all = events();
        assertEquals(1, all.size(), "events: " + all);
        return assertInstanceOf(type, all.get(0));
    }

    @Override
    public void close() {
        supervisor.close();
    }
}
