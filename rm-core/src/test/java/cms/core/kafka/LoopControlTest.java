package cms.core.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/** Stopping a consumer loop: the flag, the wake-up of its poll, the wait for its end. */
class LoopControlTest {

    @Test
    void stopWakesThePollAndWaitsForTheThreadToEnd() throws Exception {
        LoopControl control = new LoopControl();
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        control.attach(consumer);
        Thread loop = new Thread(() -> {
            try {
                while (control.running()) {
                    consumer.poll(Duration.ofMillis(50));
                }
            } catch (WakeupException e) {
                // woken by stop
            } finally {
                control.ended();
            }
        });
        loop.start();
        assertTrue(control.running());
        control.stop(Duration.ofSeconds(10));
        assertFalse(control.running());
        loop.join(10_000);
        assertFalse(loop.isAlive(), "the loop ended");
        control.stop(Duration.ofSeconds(1)); // a second stop does nothing
    }

    @Test
    void aLoopThatEndedOnItsOwnIsNotRunning() {
        LoopControl control = new LoopControl();
        control.ended();
        assertFalse(control.running());
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        control.attach(consumer);
        control.stop(Duration.ofSeconds(1));
        consumer.subscribe(java.util.List.of("t"));
        assertDoesNotThrow(() -> consumer.poll(Duration.ZERO), "not woken: stop does nothing after the end");
    }
}
