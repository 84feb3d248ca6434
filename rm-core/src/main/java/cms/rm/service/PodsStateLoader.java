package cms.rm.service;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.PodsRecord;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import cms.rm.model.CloudState;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
        CloudState[] state = {CloudState.empty()};
        int read = CompactedTopicReader.readAll(kafka, "cms-rm-loader", Topics.PODS, timeout,
                r -> state[0] = apply(state[0], r));
        LOG.info("state rebuilt from {} record(s) of {}: {} pod(s), initialised={}, cordoned={}", read,
                Topics.PODS.topicName(), state[0].pods().size(), state[0].initialised(),
                state[0].cordons().keySet());
        return state[0];
    }

    private CloudState apply(CloudState state, ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return state.withoutPod(r.key());
        }
        try {
            return apply(state, codec.decode(r.value(), PodsRecord.class));
        } catch (UndecodableRecordException e) {
            LOG.warn("topic=pods partition={} offset={} skipped while rebuilding: {}", r.partition(), r.offset(),
                    e.getMessage());
            return state;
        }
    }

    /** One record of {@code pods} applied: a pod's snapshot, or the cloud's (whether init ran, the cordons). */
    static CloudState apply(CloudState state, PodsRecord record) {
        if (record instanceof PodsRecord.PodSnapshot s) {
            return state.withPod(s.pod());
        } else if (record instanceof PodsRecord.CloudSnapshot c) {
            return state.withInitialisedAt(c.initialised() ? c.initialisedAt() : null).withCordons(c.cordons());
        }
        return state;
    }
}
