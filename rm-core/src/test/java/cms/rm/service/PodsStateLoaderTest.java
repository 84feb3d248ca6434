package cms.rm.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.codec.EventCodec;
import cms.core.event.PodsRecord;
import cms.core.model.Cordon;
import cms.rm.model.CloudState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A restarted resource manager has the cordons back: they travel in the cloud's record on the compacted
 * {@code pods} topic, encoded and decoded by the one codec, and the latest record wins (an uncordon of the last
 * host writes a record without any).
 */
class PodsStateLoaderTest {

    private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");
    private final EventCodec codec = new EventCodec();

    private CloudState read(CloudState state, PodsRecord written) throws Exception {
        return PodsStateLoader.apply(state, codec.decode(codec.encode(written), PodsRecord.class));
    }

    @Test
    void theCordonsOfTheLatestCloudRecordAreTheStateAfterARestart() throws Exception {
        CloudState s = read(CloudState.empty(), new PodsRecord.CloudSnapshot("e1", 1, AT, true, AT,
                List.of(new Cordon("h2", AT, true), new Cordon("h3", AT, false))));
        assertTrue(s.initialised());
        assertEquals(Map.of("h2", new Cordon("h2", AT, true), "h3", new Cordon("h3", AT, false)), s.cordons());
        assertTrue(s.cordoned("h2") && s.cordoned("h3"));

        s = read(s, new PodsRecord.CloudSnapshot("e2", 1, AT, true, AT, List.of(new Cordon("h3", AT, false))));
        assertEquals(List.of("h3"), List.copyOf(s.cordons().keySet()), "h2 uncordoned");
        s = read(s, new PodsRecord.CloudSnapshot("e3", 1, AT, true, AT));
        assertFalse(s.cordoned("h3"), "none left");
        assertTrue(s.initialised());
    }
}
