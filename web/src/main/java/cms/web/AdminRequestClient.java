package cms.web;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.kafka.BrokerUnreachableException;
import cms.core.kafka.BrokerWatch;
import cms.core.kafka.ConsumerLoop;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.Liveness;
import cms.core.kafka.LoopHealth;
import cms.core.kafka.Subscription;
import cms.core.kafka.TopicCreator;
import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Request/reply with the resource manager over Kafka: publishes an {@link AdminRequest} on
 * {@code admin-requests} and waits for the {@link AdminReply} with the same correlation id on
 * {@code admin-replies}, which its {@link ConsumerLoop} reads from their end on every partition (a reply it
 * cannot read goes to dead-letter; after a Kafka fault new clients read on from the end, and a request
 * whose reply was written in between times out as it would without a resource manager).
 */
public final class AdminRequestClient implements AdminClient, AutoCloseable {

    public static final String LOOP = "cms-web-replies";

    /** The longest a send may block the caller (metadata, a full buffer) and may wait to be taken. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(2);
    static final Duration DELIVERY = Duration.ofSeconds(5);

    private final EventCodec codec;
    private final BrokerWatch broker;
    private final KafkaProducer<String, byte[]> producer;
    private final EventPublisher publisher;
    private final Map<String, CompletableFuture<AdminReply>> pending = new ConcurrentHashMap<>();
    private final ConsumerLoop replies;
    private boolean closed;

    public AdminRequestClient(KafkaSettings kafka, EventCodec codec, BrokerWatch broker) {
        this(kafka, codec, broker, Clock.systemUTC(), null, reason -> { });
    }

    /**
     * Starts the reply reader and returns once it reads from the replies' end, so that no reply to a request
     * sent after is missed. {@code liveness} (may be null) gets the reader's health; {@code onFatal} is told
     * when it cannot go on.
     *
     * @throws IllegalStateException when the reader did not start within 30 s
     */
    public AdminRequestClient(KafkaSettings kafka, EventCodec codec, BrokerWatch broker, Clock clock,
                              Liveness liveness, java.util.function.Consumer<String> onFatal) {
        this.codec = codec;
        this.broker = broker;
        TopicCreator.ensureAll(kafka);
        producer = new KafkaProducer<>(kafka.boundedProducer("cms-web", MAX_BLOCK, DELIVERY));
        publisher = new EventPublisher(producer, codec);
        replies = ConsumerLoop.builder(LOOP)
                .consumer(() -> new KafkaConsumer<>(kafka.consumer(LOOP, null)))
                .producer(() -> new KafkaProducer<>(kafka.producer(LOOP, null)), false)
                .subscription(Subscription.fromEnd(Topics.ADMIN_REPLIES))
                .handler((r, session) -> complete(r))
                .codec(codec).clock(clock).liveness(liveness).onFatal(onFatal)
                .pollTimeout(Duration.ofMillis(500)).build().start();
        awaitReplies(Duration.ofSeconds(30));
    }

    private void awaitReplies(Duration timeout) {
        boolean ready;
        try {
            ready = replies.awaitReady(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready = false;
        }
        if (!ready) {
            LoopHealth h = replies.health();
            close();
            throw new IllegalStateException("the admin reply reader did not start within " + timeout.toSeconds()
                    + " s" + (h.lastFault() == null ? "" : ": " + h.lastFault()));
        }
    }

    public LoopHealth health() {
        return replies.health();
    }

    /**
     * Sends the request and waits for its reply; refuses at once while Kafka is unreachable, and gives up
     * waiting as soon as it turns unreachable.
     *
     * @throws BrokerUnreachableException when Kafka does not answer (now or while this waits)
     * @throws ResourceManagerUnavailableException when no reply comes within the timeout
     */
    @Override
    public AdminReply call(AdminRequest request, Duration timeout) {
        broker.require();
        CompletableFuture<AdminReply> future = new CompletableFuture<>();
        pending.put(request.eventId(), future);
        try {
            publisher.publish(Topics.ADMIN_REQUESTS, request);
            return broker.await(future, timeout);
        } catch (TimeoutException e) {
            throw new ResourceManagerUnavailableException("the resource manager did not answer within "
                    + timeout.toMillis() + " ms; it may be down (the request may still be applied when it is back)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceManagerUnavailableException("interrupted while waiting for the resource manager");
        } catch (ExecutionException e) {
            throw new ResourceManagerUnavailableException("request failed: " + e.getCause());
        } finally {
            pending.remove(request.eventId());
        }
    }

    /** Completes the waiting request; a reply that cannot be read throws (the loop sends it to dead-letter). */
    private void complete(ConsumerRecord<String, byte[]> r) throws UndecodableRecordException {
        AdminReply reply = codec.decode(r.value(), AdminReply.class);
        CompletableFuture<AdminReply> future = pending.get(reply.requestId());
        if (future != null) {
            future.complete(reply);
        }
    }

    @Override
    public synchronized void close() {
        replies.close();
        if (!closed) {
            closed = true;
            producer.close(Duration.ofSeconds(5));
        }
    }
}
