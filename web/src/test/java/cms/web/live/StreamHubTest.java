package cms.web.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.web.model.Kind;
import cms.web.model.LiveEvent;
import cms.web.model.StreamFilter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamHubTest {

    private static LiveEvent event(long seq, Kind kind, String pod) {
        return new LiveEvent(seq, kind, pod, seq, null, "{}");
    }

    @Test
    void aClientThatDoesNotReadIsDroppedAndTheOthersGetEverything() throws InterruptedException {
        StreamHub hub = new StreamHub(10);
        Subscriber slow = hub.subscribe(StreamFilter.ALL, List.of());
        Subscriber fast = hub.subscribe(StreamFilter.ALL, List.of());
        int got = 0;
        for (int i = 1; i <= 100; i++) {
            hub.publish(event(i, Kind.METRICS, "p"));
            if (fast.poll(Duration.ZERO) != null) {
                got++;
            }
        }
        assertEquals(100, got);
        assertTrue(slow.dropped());
        assertTrue(slow.ended());
        assertFalse(fast.dropped());
        assertEquals(1, hub.size(), "the slow client is no longer offered anything");
        // what it had queued is still delivered, then its stream ends
        int left = 0;
        while (slow.poll(Duration.ZERO) != null) {
            left++;
        }
        assertEquals(10, left);
    }

    @Test
    void eventsOutsideTheFilterDoNotFillTheQueue() throws InterruptedException {
        StreamHub hub = new StreamHub(5);
        Subscriber onlyA = hub.subscribe(StreamFilter.parse("a", "scaling"), List.of());
        for (int i = 1; i <= 50; i++) {
            hub.publish(event(i, Kind.METRICS, "a"));
            hub.publish(event(i, Kind.SCALING, "b"));
        }
        hub.publish(event(51, Kind.SCALING, "a"));
        assertFalse(onlyA.dropped());
        assertEquals(51, onlyA.poll(Duration.ZERO).seq());
        assertNull(onlyA.poll(Duration.ZERO));
    }

    @Test
    void endingAStreamWakesItsThread() throws InterruptedException {
        StreamHub hub = new StreamHub(5);
        Subscriber s = hub.subscribe(StreamFilter.ALL, List.of(event(1, Kind.PODS, "p")));
        assertEquals(1, s.replay().size());
        Thread waiter = new Thread(() -> hub.endAll());
        waiter.start();
        assertNull(s.poll(Duration.ofMinutes(5)), "woken by the end, not by the timeout");
        waiter.join();
        assertTrue(s.ended());
        assertEquals(0, hub.size());
    }
}
