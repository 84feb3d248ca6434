package cms.core.kafka;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Hands the batches a poll returned to a thread of their own, which gives each record to the sink in the order read,
 * while the polling thread fetches and parses the next: a long read's decoding then overlaps Kafka's own work.
 * At most {@value #AHEAD} batches wait. The sink's failure is thrown on the polling thread (at its next batch, or by
 * {@link #finish}); closing without finishing stops the thread and drops what waits.
 */
final class RecordHandOff implements AutoCloseable {

    static final int AHEAD = 4;
    /** After the last batch (an empty batch is never queued). */
    private static final ConsumerRecords<String, byte[]> END = ConsumerRecords.empty();

    private final BlockingQueue<ConsumerRecords<String, byte[]>> batches = new ArrayBlockingQueue<>(AHEAD);
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private final Thread thread;

    RecordHandOff(String name, Consumer<ConsumerRecord<String, byte[]>> sink) {
        thread = new Thread(() -> {
            try {
                for (ConsumerRecords<String, byte[]> b = batches.take(); b != END; b = batches.take()) {
                    b.forEach(sink);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failed.set(t);
                batches.clear(); // a poller blocked on a full queue goes on, and finds the failure
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one poll's records (waiting while {@value #AHEAD} batches wait); throws the sink's failure, if any. */
    void accept(ConsumerRecords<String, byte[]> batch) throws InterruptedException {
        rethrow();
        if (!batch.isEmpty()) {
            put(batch);
        }
    }

    /** Waits until every queued record went to the sink; throws the sink's failure, if any. */
    void finish() throws InterruptedException {
        rethrow();
        put(END);
        thread.join();
        rethrow();
    }

    private void put(ConsumerRecords<String, byte[]> batch) throws InterruptedException {
        while (!batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            rethrow();
            if (!thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " stopped");
            }
        }
    }

    private void rethrow() {
        Throwable t = failed.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
