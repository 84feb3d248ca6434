package cms.web;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.kafka.BrokerUnreachableException;
import cms.core.kafka.BrokerWatch;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.TopicCreator;
import cms.core.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply with the resource manager over Kafka: publishes an {@link AdminRequest} on
 * {@code admin-requests} and waits for the {@link AdminReply} with the same correlation id on
 * {@code admin-replies}, which this client reads from its end on every partition.
 */
public final class AdminRequestClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRequestClient.class);

    /** The longest a send may block the caller (metadata, a full buffer) and may wait to be taken. */
    static final Duration MAX_BLOCK = Duration.ofSeconds(2);
    static final Duration DELIVERY = Duration.ofSeconds(5);

    private final EventCodec codec;
    private final BrokerWatch broker;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final EventPublisher publisher;
    private final Map<String, CompletableFuture<AdminReply>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public AdminRequestClient(KafkaSettings kafka, EventCodec codec, BrokerWatch broker) {
        this.codec = codec;
        this.broker = broker;
        TopicCreator.ensureAll(kafka);
        producer = new KafkaProducer<>(kafka.boundedProducer("cms-web", MAX_BLOCK, DELIVERY));
        publisher = new EventPublisher(producer, codec);
        consumer = new KafkaConsumer<>(kafka.consumer("cms-web-replies", null));
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.ADMIN_REPLIES.topicName(),
                Duration.ofSeconds(30)).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end now, before any request is sent
        thread = new Thread(this::readReplies, "cms-web-replies");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Sends the request and waits for its reply; refuses at once while Kafka is unreachable, and gives up
     * waiting as soon as it turns unreachable.
     *
     * @throws BrokerUnreachableException when Kafka does not answer (now or while this waits)
     * @throws ResourceManagerUnavailableException when no reply comes within the timeout
     */
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

    private void readReplies() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    complete(r);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("reply reader woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("reply reader stopped: {}", e.toString(), e);
        } finally {
            consumer.close();
        }
    }

    private void complete(ConsumerRecord<String, byte[]> r) {
        try {
            AdminReply reply = codec.decode(r.value(), AdminReply.class);
            CompletableFuture<AdminReply> future = pending.get(reply.requestId());
            if (future != null) {
                future.complete(reply);
            }
        } catch (UndecodableRecordException e) {
            LOG.warn("topic=admin-replies offset={} unreadable reply ignored: {}", r.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        if (running.compareAndSet(true, false)) {
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }
}
