package cms.web.jobs;

import cms.core.codec.EventCodec;
import cms.core.codec.JobIntake;
import cms.core.event.JobSubmission;
import cms.core.kafka.BrokerUnreachableException;
import cms.core.kafka.BrokerWatch;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import cms.web.ResourceManagerUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Puts jobs taken over HTTP on the {@code jobs} topic, the same way any other system does, marked with
 * the {@code cms-source: http} header. A submit does not hold its caller's thread while Kafka answers: it
 * hands the record to the producer, which sends the records of all the requests in flight together (one
 * produce request carries many jobs), and its future completes once the broker has the record (acks=all).
 */
public final class JobSubmitter implements AutoCloseable {

    /** The longest a send may block the caller for metadata or buffer room. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(2);

    private final Producer<String, byte[]> producer;
    private final EventCodec codec;
    private final Duration timeout;
    private final BrokerWatch broker;

    /** {@code timeout}: the longest a submit waits for Kafka to take the job (the producer's delivery bound). */
    public JobSubmitter(KafkaSettings kafka, EventCodec codec, Duration timeout, BrokerWatch broker) {
        this(new KafkaProducer<>(kafka.boundedProducer("cms-web-jobs", MAX_BLOCK, timeout)), codec, timeout, broker);
    }

    /** With a producer of the caller's (bounded in delivery time by the caller). */
    public JobSubmitter(Producer<String, byte[]> producer, EventCodec codec, Duration timeout, BrokerWatch broker) {
        this.producer = producer;
        this.codec = codec;
        this.timeout = timeout;
        this.broker = broker;
    }

    /**
     * Hands the job to Kafka; refuses at once while Kafka is known to be unreachable. The future completes when
     * the broker has the record, or fails with {@link ResourceManagerUnavailableException} when it did not take
     * it within the timeout, or with {@link BrokerUnreachableException} as soon as the broker watch declares Kafka
     * unreachable meanwhile (the job may still arrive: a submit again with the same id runs it once).
     *
     * @throws BrokerUnreachableException when Kafka is known to be unreachable
     * @throws ResourceManagerUnavailableException when the record could not even be handed over (no metadata or
     *                                             no buffer room within {@link #MAX_BLOCK})
     */
    public CompletableFuture<Void> submit(JobSubmission.JobSubmitted job) {
        broker.require();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.JOBS.topicName(), job.jobId(),
                codec.encode(job));
        record.headers().add(JobIntake.SOURCE_HEADER, "http".getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Void> taken = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    taken.complete(null);
                } else {
                    taken.completeExceptionally(notTaken(error));
                }
            });
        } catch (KafkaException e) {
            throw notTaken(e);
        }
        return broker.failWhenUnreachable(taken);
    }

    private ResourceManagerUnavailableException notTaken(Exception cause) {
        return new ResourceManagerUnavailableException("Kafka did not take the job within " + timeout.toMillis()
                + " ms (" + cause + "); submit again with the same id: it runs once");
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
