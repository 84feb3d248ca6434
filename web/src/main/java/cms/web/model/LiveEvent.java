package cms.web.model;

import cms.core.event.Event;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One record as the live view keeps and streams it: its sequence number in this web process, its kind,
 * the pod it is about (null for hosts), the Kafka record's timestamp (epoch ms), the decoded event, and
 * that event's JSON as the API writes it (snake_case keys; made once, what clients receive as {@code event}).
 */
public record LiveEvent(long seq, Kind kind, String pod, long ts, @JsonIgnore Event decoded,
                        @JsonRawValue String event) {
}
