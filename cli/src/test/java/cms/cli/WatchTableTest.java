package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A watched table: the first table whole, then only what changed, in the first table's columns. */
class WatchTableTest {

    private static final List<String> HEADER = List.of("NODE", "STATE", "NOTE");

    @Test
    void theFirstTableThenTheRowsThatChangedOrWentAway() {
        WatchTable t = new WatchTable(HEADER);
        assertEquals(List.of("NODE  STATE     NOTE", "n1    STARTING", "n2    NEW"),
                t.first(List.of(List.of("n1", "STARTING", ""), List.of("n2", "NEW", ""))));
        assertEquals(List.of(), t.next(List.of(List.of("n1", "STARTING", ""), List.of("n2", "NEW", ""))));
        assertEquals(List.of("n1    ONLINE", "n3    NEW", "n2    NEW       removed"),
                t.next(List.of(List.of("n1", "ONLINE", ""), List.of("n3", "NEW", ""))));
        assertEquals(List.of("n3    STOPPED   removing"), t.next(List.of(List.of("n1", "ONLINE", ""),
                List.of("n3", "STOPPED", "removing"))));
    }

    @Test
    void aWiderCellWidensItsColumnFromThenOn() {
        WatchTable t = new WatchTable(HEADER);
        assertEquals(List.of("NODE  STATE  NOTE"), t.first(List.of()));
        assertEquals(List.of("a-long-name  NEW"), t.next(List.of(List.of("a-long-name", "NEW", ""))));
        assertEquals(List.of("n1           NEW"), t.next(List.of(List.of("a-long-name", "NEW", ""),
                List.of("n1", "NEW", ""))));
    }
}
