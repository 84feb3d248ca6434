package cms.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cms.core.event.JobStateRecord;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path reads every plain UTC instant as {@link Instant#parse} does, and leaves every other form to it. */
class IsoInstantsTest {

    @Test
    void everyPlainUtcInstantReadsAsInstantParseReadsIt() {
        Random random = new Random(14);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(Instant.parse("0001-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(seconds, nanos).toString();
            assertEquals(Instant.parse(text), IsoInstants.parse(text), text);
        }
        assertEquals(Instant.parse("2025-03-01T10:15:30.1Z"), IsoInstants.parse("2025-03-01T10:15:30.1Z"));
        assertEquals(Instant.parse("2024-02-29T23:59:59.999999999Z"), IsoInstants.parse("2024-02-29T23:59:59.999999999Z"));
        for (String edge : List.of("0000-01-01T00:00:00Z", "0000-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2000-02-29T12:00:00Z", "2100-03-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999Z")) {
            assertEquals(Instant.parse(edge), IsoInstants.parse(edge), edge);
        }
    }

    @Test
    void anythingElseIsLeftToTheFullParser() {
        for (String other : List.of("2025-03-01T10:15:30+01:00", "2025-02-29T10:15:30Z", "2025-03-01T24:00:00Z",
                "2025-03-01T10:15:60Z", "2025-03-01 10:15:30Z", "2025-03-01T10:15:30.Z", "2025-03-01T10:15:30.1234567890Z",
                "+12025-03-01T10:15:30Z", "2025-3-01T10:15:30Z", "2025-03-01T10:15:3xZ", "", "1900-02-29T10:15:30Z",
                "2025-00-01T10:15:30Z", "2025-13-01T10:15:30Z", "2025-04-31T10:15:30Z", "2025-04-00T10:15:30Z")) {
            assertNull(IsoInstants.parse(other), other);
        }
    }

    @Test
    void theCodecStillReadsAnInstantWithAnOffsetAsBefore() throws Exception {
        String json = "{\"type\":\"EndedJob\",\"eventId\":\"e\",\"v\":1,\"at\":\"2025-03-01T10:15:30+01:00\","
                + "\"jobId\":\"j\",\"pod\":\"p\",\"status\":\"FAILED\",\"queuedAt\":\"2025-03-01T09:15:30.5Z\"}";
        JobStateRecord r = new EventCodec().decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                JobStateRecord.class);
        assertEquals(Instant.parse("2025-03-01T09:15:30Z"), r.at());
        assertEquals(Instant.parse("2025-03-01T09:15:30.5Z"), ((JobStateRecord.EndedJob) r).queuedAt());
    }
}
