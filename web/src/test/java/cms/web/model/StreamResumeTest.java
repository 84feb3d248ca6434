package cms.web.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.NodeEvent;
import cms.core.event.ScalingDecision;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stream ids, cursors, filters and the resume log. */
class StreamResumeTest {

    private static final long T = 1_800_000_000_000L;

    private static LiveState stateWithEvents(String boot, int n) {
        LiveState s = new LiveState(boot, 900_000, 10_000);
        for (int i = 0; i < n; i++) {
            String pod = i % 2 == 0 ? "a" : "b";
            s.apply(i % 3 == 0 ? Kind.SCALING : Kind.NODES, i % 3 == 0
                    ? new ScalingDecision("s" + i, 1, java.time.Instant.ofEpochMilli(T + i * 1000L), pod, "cpu", 1, 1,
                    2, "r") : new NodeEvent.NodeDrained("n" + i, 1, java.time.Instant.ofEpochMilli(T + i * 1000L),
                    "node" + i, pod), T + i * 1000L, "{}");
        }
        return s;
    }

    private static List<Long> seqs(List<LiveEvent> events) {
        return events.stream().map(LiveEvent::seq).toList();
    }

    @Test
    void sameProcessResumesRightAfterTheLastIdItSent() {
        LiveState s = stateWithEvents("boot1", 10);
        StreamCursor c = StreamCursor.of("boot1", "boot1.6." + (T + 5000), null);
        assertEquals(6L, c.afterSeq());
        assertEquals(List.of(7L, 8L, 9L, 10L), seqs(s.replay(c, StreamFilter.ALL)));
        assertEquals(List.of(7L, 9L), seqs(s.replay(c, StreamFilter.parse("a", null))));
        assertEquals(List.of(7L, 10L), seqs(s.replay(c, StreamFilter.parse(null, "scaling"))));
    }

    @Test
    void anIdOfAnotherProcessResumesFromItsTimeLessTheMargin() {
        LiveState s = stateWithEvents("boot2", 20);
        StreamCursor c = StreamCursor.of("boot2", "boot1.999." + (T + 15_000), null);
        assertEquals(T + 10_000, c.sinceTs());
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L), seqs(s.replay(c, StreamFilter.ALL)));
    }

    @Test
    void sinceIsEpochMillisAndTheHeaderWins() {
        LiveState s = stateWithEvents("b", 5);
        assertEquals(List.of(4L, 5L), seqs(s.replay(StreamCursor.of("b", null, String.valueOf(T + 3000)),
                StreamFilter.ALL)));
        assertEquals(List.of(5L), seqs(s.replay(StreamCursor.of("b", "b.4." + T, String.valueOf(T)),
                StreamFilter.ALL)));
        assertTrue(s.replay(StreamCursor.of("b", null, null), StreamFilter.ALL).isEmpty(), "no cursor: live only");
        assertTrue(StreamCursor.of("b", "garbage", null).live());
        assertThrows(IllegalArgumentException.class, () -> StreamCursor.of("b", null, "yesterday"));
    }

    @Test
    void theCursorOfASnapshotIsTheIdOfItsLastEvent() {
        LiveState s = stateWithEvents("b", 3);
        StreamCursor c = StreamCursor.of("b", s.cursor(), null);
        assertEquals(3L, c.afterSeq());
        assertTrue(s.replay(c, StreamFilter.ALL).isEmpty());
    }

    @Test
    void theLogIsBoundedByCountAndWindow() {
        EventLog log = new EventLog(10_000, 5);
        for (int i = 1; i <= 8; i++) {
            log.append(new LiveEvent(i, Kind.NODES, "a", T + i * 1000L, null, "{}"));
        }
        assertEquals(5, log.size());
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), seqs(log.replay(new StreamCursor(0L, null), StreamFilter.ALL)));
        log.prune(T + 16_000);
        assertEquals(List.of(6L, 7L, 8L), seqs(log.replay(new StreamCursor(0L, null), StreamFilter.ALL)));
    }

    @Test
    void filtersTakeListsAndRefuseUnknownKinds() {
        StreamFilter f = StreamFilter.parse("a, b", "nodes,scaling");
        assertEquals(Set.of("a", "b"), f.pods());
        assertEquals(Set.of(Kind.NODES, Kind.SCALING), f.kinds());
        assertTrue(StreamFilter.parse(null, null).matches(new LiveEvent(1, Kind.HOSTS, null, T, null, "{}")));
        assertTrue(!f.matches(new LiveEvent(1, Kind.NODES, null, T, null, "{}")), "host-wide events need no pod filter");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamFilter.parse(null, "nodes,bogus"));
        assertTrue(e.getMessage().contains("unknown kind 'bogus'"), e.getMessage());
    }
}
