package cms.web.model;

import cms.core.event.Event;
import cms.core.event.JobEvent;
import cms.core.event.MetricSample;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.topic.Topics;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** What the live view streams, one kind per topic it reads; the word is the SSE event name and the filter value. */
public enum Kind {
    PODS(Topics.PODS), NODES(Topics.NODE_EVENTS), METRICS(Topics.METRICS), SCALING(Topics.SCALING),
    JOBS(Topics.JOB_EVENTS), HOSTS(Topics.HOST_EVENTS);

    private final Topics topic;

    Kind(Topics topic) {
        this.topic = topic;
    }

    public Topics topic() {
        return topic;
    }

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Kind> parse(String word) {
        for (Kind k : values()) {
            if (k.word().equals(word)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public static Kind ofTopic(String topicName) {
        for (Kind k : values()) {
            if (k.topic.topicName().equals(topicName)) {
                return k;
            }
        }
        throw new IllegalArgumentException("the live view does not read " + topicName);
    }

    /** The pod an event is about, or null for events about no pod (hosts). */
    public static String podOf(Event event) {
        if (event instanceof PodsRecord.PodSnapshot s) {
            return s.pod().name();
        } else if (event instanceof PodRemoved r) {
            return r.pod();
        } else if (event instanceof NodeEvent n) {
            return n.pod();
        } else if (event instanceof ScalingDecision d) {
            return d.pod();
        } else if (event instanceof JobEvent j) {
            return j.pod();
        } else if (event instanceof MetricSample.NodeSample s) {
            return s.pod();
        } else if (event instanceof MetricSample.PodSample s) {
            return s.pod();
        } else if (event instanceof MetricSample.ServerSample s) {
            return s.pod();
        }
        return null; // host events are about no pod
    }
}
