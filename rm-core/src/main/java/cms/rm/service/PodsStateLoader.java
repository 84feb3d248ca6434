package cms.rm.service;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.PodsRecord;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import cms.rm.model.CloudState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rebuilds the cloud state from the compacted {@code pods} topic: reads every partition to its end. */
final class PodsStateLoader {

    private static final Logger LOG = LoggerFactory.getLogger(PodsStateLoader.class);

    private final KafkaSettings kafka;
    private final EventCodec codec;

    PodsStateLoader(KafkaSettings kafka, EventCodec codec) {
        this.kafka = kafka;
        this.codec = codec;
    }

    CloudState load(Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer("cms-rm-loader", null))) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.PODS.topicName(), timeout);
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            CloudState state = CloudState.empty();
            int read = 0;
            Instant deadline = Instant.now().plus(timeout);
            while (!caughtUp(consumer, end)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("could not read the pods topic to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    state = apply(state, r);
                    read++;
                }
            }
            LOG.info("state rebuilt from {} record(s) of {}: {} pod(s), initialised={}", read,
                    Topics.PODS.topicName(), state.pods().size(), state.initialised());
            return state;
        }
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private CloudState apply(CloudState state, ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return state.withoutPod(r.key());
        }
        try {
            PodsRecord record = codec.decode(r.value(), PodsRecord.class);
            if (record instanceof PodsRecord.PodSnapshot s) {
                return state.withPod(s.pod());
            } else if (record instanceof PodsRecord.CloudSnapshot c) {
                return state.withInitialisedAt(c.initialised() ? c.initialisedAt() : null);
            }
            return state;
        } catch (UndecodableRecordException e) {
            LOG.warn("topic=pods partition={} offset={} skipped while rebuilding: {}", r.partition(), r.offset(),
                    e.getMessage());
            return state;
        }
    }
}
