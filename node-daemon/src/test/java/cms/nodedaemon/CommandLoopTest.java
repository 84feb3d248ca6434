package cms.nodedaemon;

import static cms.nodedaemon.SupervisorFixture.HOST;
import static cms.nodedaemon.SupervisorFixture.launchCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.DeadLetter;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.kafka.DeadLetters;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One command's failure stays with that command: {@link CommandLoop#handle} never throws for it. */
class CommandLoopTest {

    private final SupervisorFixture f = new SupervisorFixture();
    private final MockProducer<String, byte[]> deadLetterProducer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final CommandLoop loop = new CommandLoop(HOST, f.clock, new KafkaSettings("127.0.0.1:1"), f.codec,
            f.supervisor, new DeadLetters(new EventPublisher(deadLetterProducer, f.codec), "test", f.clock));
    private long offset;

    @AfterEach
    void close() {
        f.close();
    }

    private ConsumerRecord<String, byte[]> record(NodeCommand command) {
        return new ConsumerRecord<>(Topics.COMMANDS.topicName(), 0, offset++, HOST, f.codec.encode(command));
    }

    @Test
    void aLaunchWhoseDriverThrowsEndsTheNodeFailedAndTheNextCommandIsCarriedOut() {
        f.driver.breakNextStart(new IllegalStateException("docker: connection reset by peer"));

        loop.handle(record(launchCommand("n1")));
        loop.handle(record(launchCommand("n2")));

        assertEquals("could not start: docker: connection reset by peer",
                assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(0)).reason());
        assertEquals("n2", assertInstanceOf(NodeEvent.NodeStarting.class, f.events().get(1)).node());
        assertTrue(deadLetterProducer.history().isEmpty());
    }

    @Test
    void aStopWhoseDriverThrowsEndsTheNodeFailed() {
        loop.handle(record(launchCommand("n1")));
        f.driver.engineAway("the Docker engine is not answering");

        loop.handle(record(SupervisorFixture.stopCommand("n1")));

        assertEquals("could not be stopped: the Docker engine is not answering",
                assertInstanceOf(NodeEvent.NodeFailed.class, f.events().get(1)).reason());
    }

    @Test
    void aCommandWhoseEventsCannotBeWrittenGoesToDeadLetterWithTheReason() throws Exception {
        f.producer.sendException = new org.apache.kafka.common.KafkaException("node-events unavailable");

        loop.handle(record(launchCommand("n1")));

        assertEquals(1, deadLetterProducer.history().size());
        DeadLetter letter = f.codec.decode(deadLetterProducer.history().get(0).value(), DeadLetter.class);
        assertTrue(letter.reason().startsWith("LaunchNode of node n1 failed:"), letter.reason());
        assertTrue(letter.reason().contains("node-events unavailable"), letter.reason());
    }

    @Test
    void anUnreadableCommandGoesToDeadLetter() throws Exception {
        loop.handle(new ConsumerRecord<>(Topics.COMMANDS.topicName(), 0, 0, HOST, "{not json".getBytes()));

        assertEquals(1, deadLetterProducer.history().size());
        assertTrue(f.events().isEmpty());
    }
}
