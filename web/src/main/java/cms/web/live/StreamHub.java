package cms.web.live;

import cms.web.model.LiveEvent;
import cms.web.model.StreamFilter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open streams: every live event is offered to each; a client whose queue is full is dropped. */
final class StreamHub {

    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final int capacity;

    StreamHub(int capacity) {
        this.capacity = capacity;
    }

    Subscriber subscribe(StreamFilter filter, List<LiveEvent> replay) {
        Subscriber s = new Subscriber(filter, replay, capacity);
        subscribers.add(s);
        return s;
    }

    void publish(LiveEvent e) {
        for (Subscriber s : subscribers) {
            if (!s.offer(e)) {
                subscribers.remove(s);
                LOG.warn("stream client dropped: more than {} events waiting for it", capacity);
            }
        }
    }

    void remove(Subscriber s) {
        subscribers.remove(s);
        s.end();
    }

    void endAll() {
        subscribers.forEach(this::remove);
    }

    int size() {
        return subscribers.size();
    }
}
