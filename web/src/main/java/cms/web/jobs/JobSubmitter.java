package cms.web.jobs;

import cms.core.codec.EventCodec;
import cms.core.codec.JobIntake;
import cms.core.event.JobSubmission;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import cms.web.ResourceManagerUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts jobs taken over HTTP on the {@code jobs} topic, the same way any other system does, marked with
 * the {@code cms-source: http} header; returns once the broker has the record (acks=all).
 */
public final class JobSubmitter implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec;
    private final Duration timeout;

    public JobSubmitter(KafkaSettings kafka, EventCodec codec, Duration timeout) {
        this.producer = new KafkaProducer<>(kafka.producer("cms-web-jobs", null));
        this.codec = codec;
        this.timeout = timeout;
    }

    public void submit(JobSubmission.JobSubmitted job) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.JOBS.topicName(), job.jobId(),
                codec.encode(job));
        record.headers().add(JobIntake.SOURCE_HEADER, "http".getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
