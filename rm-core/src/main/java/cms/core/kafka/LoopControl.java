package cms.core.kafka;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * How a consumer thread is stopped, once: the running flag its loop checks, the consumer to wake out of
 * {@code poll}, and the latch that says the thread has ended.
 */
public final class LoopControl {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Consumer<?, ?> consumer;

    public boolean running() {
        return running.get();
    }

    /** The consumer whose {@code poll} a stop interrupts. */
    public void attach(Consumer<?, ?> c) {
        consumer = c;
    }

    /** Called by the thread as it ends, however it ends. */
    public void ended() {
        running.set(false);
        ended.countDown();
    }

    /** Asks the loop to end, wakes its poll and waits for the thread; only the first call does anything. */
    public void stop(Duration timeout) {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        Consumer<?, ?> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
