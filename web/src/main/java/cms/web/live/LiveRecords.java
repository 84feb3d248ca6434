package cms.web.live;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.Event;
import cms.web.ApiJson;
import cms.web.model.Kind;
import cms.web.model.PodRemoved;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns a record of a topic the live view reads into its kind and event; a pods tombstone becomes {@link PodRemoved}. */
final class LiveRecords {

    /** A decoded record: its kind, its event, and the event's JSON as the API writes it. */
    record Decoded(Kind kind, Event event, String json) {
    }

    private final EventCodec codec;
    private final ApiJson api;

    /** {@code codec} reads the topics; {@code api} writes each event once as the API and its streams show it. */
    LiveRecords(EventCodec codec, ApiJson api) {
        this.codec = codec;
        this.api = api;
    }

    Decoded decode(ConsumerRecord<String, byte[]> r) throws UndecodableRecordException {
        Kind kind = Kind.ofTopic(r.topic());
        Event event;
        if (r.value() == null && kind == Kind.PODS) {
            event = new PodRemoved(r.topic() + ":" + r.partition() + ":" + r.offset(), 1,
                    Instant.ofEpochMilli(r.timestamp()), r.key());
        } else {
            event = codec.decode(r.value(), kind.topic().eventType());
        }
        if (event instanceof cms.core.event.HostEvent.HostJoined j && j.joinToken() != null) {
            // a host's join token never reaches the dashboard or the stream (it is used up at once, but still)
            event = new cms.core.event.HostEvent.HostJoined(j.eventId(), j.v(), j.at(), j.hostId(), j.address(),
                    j.cpuCores(), j.memoryMb());
        }
        return new Decoded(kind, event, api.write(event));
    }
}
