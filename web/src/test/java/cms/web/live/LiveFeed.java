package cms.web.live;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.Event;
import cms.core.topic.Topics;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Feeds a live view records as its consumer loop would, for tests outside this package (the API's). */
public final class LiveFeed {

    private final LiveView view;
    private final EventCodec codec;
    private long offset;

    public LiveFeed(LiveView view, EventCodec codec) {
        this.view = view;
        this.codec = codec;
    }

    /** One record of {@code topic} keyed {@code key}, written at {@code ts} (epoch ms); a null event is a tombstone. */
    public void feed(Topics topic, String key, Event event, long ts) throws UndecodableRecordException {
        view.apply(new ConsumerRecord<>(topic.topicName(), 0, offset++, ts, TimestampType.CREATE_TIME, 0, 0, key,
                event == null ? null : codec.encode(event), new RecordHeaders(), Optional.empty()));
    }
}
