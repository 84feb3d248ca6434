package cms.core.kafka;

import cms.core.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads every committed record of a (compacted) topic from the beginning to its end as it was when the read began,
 * once. The timeout bounds a stall, not the read: it fails only when its position has not moved for that long, so
 * a large topic that keeps coming is read to its end however long that takes.
 */
public final class CompactedTopicReader {

    private CompactedTopicReader() {
    }

    /** Hands each record (null value = tombstone) to {@code sink}; returns how many were read. */
    public static int readAll(KafkaSettings kafka, String clientId, Topics topic, Duration timeout,
                              Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(bulk(kafka.consumer(clientId, null)))) {
            return readAll(consumer, topic, timeout, Clock.systemUTC(), sink);
        }
    }

    /** As {@link #readAll(KafkaSettings, String, Topics, Duration, Consumer)}, the sink on a thread of its own. */
    public static int readAllAside(KafkaSettings kafka, String clientId, Topics topic, Duration timeout,
                                   Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(bulk(kafka.consumer(clientId, null)))) {
            return readAllAside(consumer, topic, timeout, Clock.systemUTC(), clientId + "-decode", sink);
        }
    }

    /**
     * {@code props} for a consumer that reads whole topics: large fetches and polls (the operator's own settings win).
     * A consumer that follows a topic afterwards keeps them: a fetch returns what there is, however large it may be.
     */
    public static Map<String, Object> bulk(Map<String, Object> props) {
        props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        return props;
    }

    /**
     * The same with a consumer of the caller's (left open) and a clock: fails when no record or position change came
     * for {@code stall}.
     */
    public static int readAll(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Topics topic,
                              Duration stall, Clock clock, Consumer<ConsumerRecord<String, byte[]>> sink) {
        return read(consumer, topic, stall, clock, records -> records.forEach(sink));
    }

    /**
     * As {@link #readAll(org.apache.kafka.clients.consumer.Consumer, Topics, Duration, Clock, Consumer)}, the sink
     * called on a thread of its own ({@code <thread>}), in the order read, while this one polls the next records: for
     * a large topic whose records cost as much to decode as to fetch. Returns once the sink has had every record.
     */
    public static int readAllAside(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Topics topic,
                                   Duration stall, Clock clock, String thread,
                                   Consumer<ConsumerRecord<String, byte[]>> sink) {
        try (RecordHandOff handOff = new RecordHandOff(thread, sink)) {
            int read = read(consumer, topic, stall, clock, batch -> {
                try {
                    handOff.accept(batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new org.apache.kafka.common.errors.InterruptException(e);
                }
            });
            handOff.finish();
            return read;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
    }

    private static int read(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer, Topics topic,
                            Duration stall, Clock clock, Consumer<ConsumerRecords<String, byte[]>> batches) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName(), stall).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, stall);
        Instant lastMove = clock.instant();
        long lastPosition = position(consumer, end);
        int read = 0;
        while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
            batches.accept(records);
            read += records.count();
            long position = position(consumer, end);
            Instant now = clock.instant();
            if (position != lastPosition) {
                lastPosition = position;
                lastMove = now;
            } else if (now.isAfter(lastMove.plus(stall))) {
                throw new IllegalStateException("could not read " + topic.topicName() + " to its end: nothing came for "
                        + stall.toSeconds() + " s (" + read + " record(s) read, at offset " + position + " of "
                        + end.values().stream().mapToLong(Long::longValue).sum() + ")");
            }
        }
        return read;
    }

    private static long position(org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
                                 Map<TopicPartition, Long> end) {
        return end.keySet().stream().mapToLong(consumer::position).sum();
    }
}
