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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts jobs taken over HTTP on the {@code jobs} topic, the same way any other system does, marked with
 * the {@code cms-source: http} header; returns once the broker has the record (acks=all).
 */
public final class JobSubmitter implements AutoCloseable {

    /** The longest a send may block the caller for metadata or buffer room. */
    private static final Duration MAX_BLOCK = Duration.ofSeconds(2);

    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec;
    private final Duration timeout;
    private final BrokerWatch broker;

    /** {@code timeout}: the longest a submit waits for Kafka to take the job (also the producer's own bound). */
    public JobSubmitter(KafkaSettings kafka, EventCodec codec, Duration timeout, BrokerWatch broker) {
        this.producer = new KafkaProducer<>(kafka.boundedProducer("cms-web-jobs", MAX_BLOCK, timeout));
        this.codec = codec;
        this.timeout = timeout;
        this.broker = broker;
    }

    /**
     * Puts the job on the topic; refuses at once while Kafka is unreachable.
     *
     * @throws BrokerUnreachableException when Kafka does not answer (now or while this waits)
     */
    public void submit(JobSubmission.JobSubmitted job) {
        broker.require();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.JOBS.topicName(), job.jobId(),
                codec.encode(job));
        record.headers().add(JobIntake.SOURCE_HEADER, "http".getBytes(StandardCharsets.UTF_8));
        try {
            broker.await(producer.send(record), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceManagerUnavailableException("interrupted while handing the job to Kafka");
        } catch (ExecutionException | TimeoutException e) {
            throw new ResourceManagerUnavailableException("Kafka did not take the job within " + timeout.toMillis()
                    + " ms (" + (e.getCause() == null ? e : e.getCause()) + "); submit again with the same id: it runs once");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
