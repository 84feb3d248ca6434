package cms.web.auth;

import cms.core.auth.TokenBook;
import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.TokenRecord;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.Liveness;
import cms.core.kafka.Subscription;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The web service's copy of the API tokens: a {@link ConsumerLoop} reads the compacted {@code tokens} topic
 * (committed records only, no consumer group: every web service reads all of it) into a {@link TokenBook},
 * which every request is checked against. A record it cannot read goes to dead-letter; after a Kafka fault the
 * loop reads the topic again from its start. While Kafka is away the last copy keeps answering.
 */
public final class TokenView implements AutoCloseable {

    public static final String LOOP = "cms-web-tokens";

    private final EventCodec codec;
    private final Clock clock;
    private final TokenBook book = new TokenBook();
    private final ConsumerLoop loop;
    private final KafkaSettings kafka;
    private volatile boolean prefilled;
    /** Signalled after each record is applied, for {@link #awaitChange}. */
    private final Object changed = new Object();

    public TokenView(KafkaSettings kafka, EventCodec codec, Clock clock, Liveness liveness,
                     java.util.function.Consumer<String> onFatal) {
        this.codec = codec;
        this.clock = clock;
        this.kafka = kafka;
        this.loop = ConsumerLoop.builder(LOOP)
                .consumer(() -> new KafkaConsumer<>(kafka.consumer(LOOP, null)))
                .producer(() -> new KafkaProducer<>(kafka.producer(LOOP, null)), false)
                .subscription(Subscription.fromBeginning(Topics.TOKENS))
                .handler((r, session) -> apply(r))
                .codec(codec).clock(clock).liveness(liveness).onFatal(onFatal)
                .pollTimeout(Duration.ofMillis(200)).build();
    }

    /**
     * Reads the topic to its end once (so that the API starts knowing every token stored before it), then
     * follows it. When Kafka does not answer within {@code timeout}, the loop alone fills the copy later.
     */
    public TokenView start(Duration timeout) {
        try {
            cms.core.kafka.CompactedTopicReader.readAll(kafka, LOOP + "-start", Topics.TOKENS, timeout, r -> {
                try {
                    apply(r);
                } catch (UndecodableRecordException | RuntimeException e) {
                    // the loop sends it to dead-letter when it meets it
                }
            });
            prefilled = true;
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TokenView.class).warn("tokens not read at start ({}); the API answers "
                    + "503 until they are", e.toString());
        }
        loop.start();
        return this;
    }

    /** True once the topic was read to its end at start, or assigned and read once: before that every call is answered 503. */
    public boolean ready() {
        if (prefilled) {
            return true;
        }
        try {
            return loop.awaitReady(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return loop.awaitReady(timeout);
    }

    public TokenBook book() {
        return book;
    }

    /**
     * Waits until this copy shows a change the resource manager has committed (a token created or revoked),
     * so that the caller's next request finds it; false after {@code timeout}.
     */
    public boolean awaitChange(BooleanSupplier seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changed) {
            while (!seen.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // woken by every record the reader applies
                changed.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) throws UndecodableRecordException {
        book.apply(r.key(), r.value() == null ? null : codec.decode(r.value(), TokenRecord.class));
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        loop.close();
    }
}
