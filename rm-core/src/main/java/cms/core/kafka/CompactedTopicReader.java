package cms.core.kafka;

import cms.core.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads every committed record of a (compacted) topic from the beginning to its current end, once. */
public final class CompactedTopicReader {

    private CompactedTopicReader() {
    }

    /** Hands each record (null value = tombstone) to {@code sink}; returns how many were read. */
    public static int readAll(KafkaSettings kafka, String clientId, Topics topic, Duration timeout,
                              Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(clientId, null))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            Instant deadline = Instant.now().plus(timeout);
            int read = 0;
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read " + topic.topicName() + " to its end within "
                            + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    sink.accept(r);
                    read++;
                }
            }
            return read;
        }
    }
}
