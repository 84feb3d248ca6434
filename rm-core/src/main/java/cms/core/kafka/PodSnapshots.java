package cms.core.kafka;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.PodsRecord;
import cms.core.model.Pod;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Keeps a map of pods up to date from records of the compacted {@code pods} topic. */
public final class PodSnapshots {

    private PodSnapshots() {
    }

    /**
     * Applies one record: a pod snapshot replaces the pod, a tombstone removes it, the cloud's own
     * record changes nothing here.
     *
     * @throws UndecodableRecordException when the value is not a pods record
     */
    public static void apply(Map<String, Pod> pods, ConsumerRecord<String, byte[]> r, EventCodec codec)
            throws UndecodableRecordException {
        if (r.value() == null) {
            pods.remove(r.key());
        } else if (codec.decode(r.value(), PodsRecord.class) instanceof PodsRecord.PodSnapshot s) {
            pods.put(s.pod().name(), s.pod());
        }
    }
}
