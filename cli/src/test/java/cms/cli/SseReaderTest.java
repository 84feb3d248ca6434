package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server-sent events from their text, as the live stream writes them and as the format allows. */
class SseReaderTest {

    private static List<String> read(String text) throws Exception {
        List<String> seen = new ArrayList<>();
        SseReader.read(new BufferedReader(new StringReader(text)), new SseReader.Listener() {
            @Override
            public boolean event(String id, String name, String data) {
                seen.add("event " + id + " " + name + " [" + data + "]");
                return !data.equals("enough");
            }

            @Override
            public void comment(String text) {
                seen.add("comment [" + text + "]");
            }
        });
        return seen;
    }

    @Test
    void eventsAsTheLiveStreamSendsThem() throws Exception {
        assertEquals(List.of("comment [cms live stream b1, 0 events to catch up]",
                        "event b1.7.1700 pods [{\"seq\":7}]", "comment [keep-alive]",
                        "event b1.8.1701 jobs [{\"seq\":8}]"),
                read(": cms live stream b1, 0 events to catch up\n\n"
                        + "id: b1.7.1700\nevent: pods\ndata: {\"seq\":7}\n\n"
                        + ":keep-alive\n\n"
                        + "id: b1.8.1701\nevent: jobs\ndata: {\"seq\":8}\n\n"));
    }

    @Test
    void dataLinesJoinAndOneSpaceAfterTheColonGoes() throws Exception {
        assertEquals(List.of("event null message [a\n  b\nc]"), read("data: a\ndata:   b\ndata:c\n\n"));
    }

    @Test
    void theIdStaysTheNameDoesNot() throws Exception {
        assertEquals(List.of("event 1 x [a]", "event 1 message [b]"),
                read("id: 1\nevent: x\ndata: a\n\ndata: b\n\n"));
    }

    @Test
    void noDataNoEventAndAnUnfinishedOneIsNone() throws Exception {
        assertEquals(List.of(), read("event: x\n\nid: 2\n\nretry: 100\ndata\n\ndata: cut off"));
    }

    @Test
    void theListenerMayHaveEnough() throws Exception {
        assertEquals(List.of("event null message [a]", "event null message [enough]"),
                read("data: a\n\ndata: enough\n\ndata: c\n\n"));
    }
}
