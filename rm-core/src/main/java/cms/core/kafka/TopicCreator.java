package cms.core.kafka;

import cms.core.topic.Topics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates every topic of {@link Topics} that does not exist yet; safe to call from every service at start. */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private TopicCreator() {
    }

    public static void ensureAll(KafkaSettings kafka) {
        try (Admin admin = Admin.create(kafka.common("cms-topic-creator"))) {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            short replication = (short) Math.min(3, Math.max(1, brokers));
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.all().stream()
                    .filter(t -> !existing.contains(t.topicName()))
                    .map(t -> new NewTopic(t.topicName(), t.partitions(), replication).configs(t.configs()))
                    .toList();
            for (NewTopic topic : missing) {
                create(admin, topic);
            }
            if (!missing.isEmpty()) {
                LOG.info("topics: created {} with replication {}", missing.stream().map(NewTopic::name).toList(),
                        replication);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.bootstrapServers() + ": " + e, e);
        }
    }

    private static void create(Admin admin, NewTopic topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
