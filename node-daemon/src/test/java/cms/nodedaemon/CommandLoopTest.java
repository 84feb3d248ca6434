package cms.nodedaemon;

import static cms.nodedaemon.SupervisorFixture.HOST;
import static cms.nodedaemon.SupervisorFixture.launchCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.kafka.Faults;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One command's failure stays with that command: a driver fault ends the node FAILED and the next command
 * is carried out; an unreadable command and a Kafka fault are thrown to the loop, whose fault policy
 * sends the first to dead-letter and reads the second again with new clients.
 */
class CommandLoopTest {

    private final SupervisorFixture f = new SupervisorFixture();
    private final CommandLoop loop = new CommandLoop(HOST, f.clock, new KafkaSettings("127.0.0.1:1"), f.codec,
            f.supervisor, null, reason -> { });
    private long offset;

    @AfterEach
    void close() {
        f.close();
    }

    private ConsumerRecord<String, byte[]> record(NodeCommand command) {
        return new ConsumerRecord<>(Topics.COMMANDS.topicName(), 0, offset++, HOST, f.codec.encode(command));
    }

    @Test
    void aLaunchWhoseDriverThrowsEndsTheNodeFailedAndTheNextCommandIsCarriedOut() throws Exception {
        f.driver.breakNextStart(new IllegalStateException("docker: connection reset by peer"));

        loop.handle(record(launchCommand("n1")));
        loop.handle(record(launchCommand("n2")));

        assertEquals("could not start: docker: connection reset by peer",
                assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(0)).reason());
        assertEquals("n2", assertInstanceOf(NodeEvent.NodeStarting.class, f.events().get(1)).node());
    }

    @Test
    void aStopWhoseDriverThrowsEndsTheNodeFailed() throws Exception {
        loop.handle(record(launchCommand("n1")));
        f.driver.engineAway("the Docker engine is not answering");

        loop.handle(record(SupervisorFixture.stopCommand("n1")));

        assertEquals("could not be stopped: the Docker engine is not answering",
                assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(1)).reason());
    }

    @Test
    void aCommandWhoseEventsCannotBeWrittenIsAKafkaFaultForTheLoopToRideOut() {
        f.producer.sendException = new KafkaException("node-events unavailable");

        KafkaException e = assertThrows(KafkaException.class, () -> loop.handle(record(launchCommand("n1"))));

        assertEquals(Faults.Kind.TRANSIENT, Faults.ofRecord(e), "read again with new clients, not dead-lettered");
    }

    @Test
    void anUnreadableCommandIsThrownForTheLoopToDeadLetter() {
        assertThrows(UndecodableRecordException.class, () -> loop.handle(new ConsumerRecord<>(
                Topics.COMMANDS.topicName(), 0, 0, HOST, "{not json".getBytes())));
        assertTrue(f.events().isEmpty());
    }

    @Test
    void aCommandWithNamesTheResourceManagerNeverMakesIsThrownForTheLoopToDeadLetterAndNothingRuns() {
        for (String bad : java.util.List.of("../../etc", "n1/x", "N1", " ", "a".repeat(41))) {
            UndecodableRecordException e = assertThrows(UndecodableRecordException.class,
                    () -> loop.handle(record(launchCommand(bad))), bad);
            assertTrue(e.getMessage().startsWith("command LaunchNode refused: node: "), e.getMessage());
            assertThrows(UndecodableRecordException.class, () -> loop.handle(record(SupervisorFixture.stopCommand(bad))));
        }
        assertThrows(UndecodableRecordException.class, () -> loop.handle(record(new NodeCommand.LaunchNode("e", 1,
                SupervisorFixture.T0, HOST, "n1", "../web", cms.core.model.Workload.builtin(
                cms.core.model.Workload.Builtin.LIGHT), 0.5, 256))));
        assertTrue(f.events().isEmpty(), "nothing launched or stopped: " + f.events());
    }
}
