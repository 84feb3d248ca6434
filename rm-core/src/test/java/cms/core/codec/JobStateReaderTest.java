package cms.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cms.core.event.JobStateRecord;
import cms.core.event.JobStateRecord.Status;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming read of {@code job-state} values gives what data binding gives for every value CMS writes, and
 * leaves every other form to binding (null), so the codec accepts and refuses exactly what it did.
 */
class JobStateReaderTest {

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper mapper = codec.mapper();
    private final JobStateReader reader = new JobStateReader(mapper);

    @Test
    void everyRecordTheCodecWritesReadsAsBindingReadsIt() throws Exception {
        Random random = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            JobStateRecord written = i % 3 == 0 ? live(random, i) : ended(random, i);
            byte[] bytes = codec.encode(written);
            JobStateRecord bound = mapper.readValue(bytes, JobStateRecord.class);
            JobStateRecord streamed = reader.read(bytes);
            assertNotNull(streamed, () -> new String(bytes, StandardCharsets.UTF_8));
            assertEquals(bound, streamed, () -> new String(bytes, StandardCharsets.UTF_8));
            assertEquals(written, codec.decode(bytes, JobStateRecord.class));
        }
    }

    @Test
    void valuesThatRepeatAreOneInstanceAcrossRecordsAndDistinctOnesReadRight() throws Exception {
        JobStateRecord.EndedJob a = (JobStateRecord.EndedJob) reader.read(codec.encode(new JobStateRecord.EndedJob(
                "e-1", 1, Instant.EPOCH, "j-1", new String("heavy"), Status.FAILED, 1, new String("heavy-1"), 5L,
                new String("timed out"), new String("http"), Instant.EPOCH)));
        for (int i = 0; i < 5_000; i++) { // distinct pods and nodes between the two: more than the cache holds
            JobStateRecord.EndedJob other = (JobStateRecord.EndedJob) reader.read(codec.encode(
                    new JobStateRecord.EndedJob("e", 1, Instant.EPOCH, "j", "pod-" + i, Status.FAILED, 1, "n-" + i, 5L,
                            "why " + i, "http", Instant.EPOCH)));
            assertEquals("pod-" + i, other.pod());
            assertEquals("n-" + i, other.node());
            assertEquals("why " + i, other.error());
        }
        JobStateRecord.EndedJob b = (JobStateRecord.EndedJob) reader.read(codec.encode(new JobStateRecord.EndedJob(
                "e-2", 1, Instant.EPOCH, "j-2", new String("heavy"), Status.FAILED, 1, new String("heavy-1"), 5L,
                new String("timed out"), new String("http"), Instant.EPOCH)));
        JobStateRecord.EndedJob c = (JobStateRecord.EndedJob) reader.read(codec.encode(new JobStateRecord.EndedJob(
                "e-3", 1, Instant.EPOCH, "j-3", new String("heavy"), Status.FAILED, 1, new String("heavy-1"), 5L,
                new String("timed out"), new String("http"), Instant.EPOCH)));
        assertEquals(a.pod(), b.pod());
        assertSame(b.pod(), c.pod());
        assertSame(b.node(), c.node());
        assertSame(b.error(), c.error());
        assertSame(b.source(), c.source());
    }

    @Test
    void theJobIdIsTheKeyItselfWhenEqualToIt() throws Exception {
        byte[] bytes = codec.encode(new JobStateRecord.EndedJob("e-1", 1, Instant.EPOCH, "job-1", "p", Status.FAILED, 1,
                null, null, null, null, null));
        String key = new String("job-1");
        assertSame(key, reader.read(bytes, key).jobId());
        assertSame(key, codec.decodeJobState(bytes, key).jobId());
        assertEquals(codec.decode(bytes, JobStateRecord.class), codec.decodeJobState(bytes, key));
        assertEquals("job-1", reader.read(bytes, "job-2").jobId(), "another key is not the job's id");
        assertEquals("job-1", reader.read(bytes, "job-").jobId());
        String bound = "{\"type\":\"EndedJob\",\"eventId\":\"e\",\"v\":1,\"jobId\":\"job-1\",\"pod\":\"p\","
                + "\"status\":\"FAILED\",\"at\":1700000000}"; // left to binding: a record equal to it all the same
        assertEquals(codec.decode(bound.getBytes(StandardCharsets.UTF_8), JobStateRecord.class),
                codec.decodeJobState(bound.getBytes(StandardCharsets.UTF_8), key));
    }

    @Test
    void fieldsInAnyOrderAndUnknownOnesReadAsBindingReadsThem() throws Exception {
        String json = "{\"extra\":{\"a\":[1,{\"b\":null}]},\"status\":\"SUCCEEDED\",\"jobId\":\"j-1\",\"durationMs\":12,"
                + "\"at\":\"2026-12-01T10:00:00.5Z\",\"pod\":\"light\",\"v\":1,\"eventId\":\"e-1\",\"later\":\"x\","
                + "\"type\":\"EndedJob\",\"attempt\":null,\"error\":null} \n";
        JobStateRecord streamed = reader.read(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(mapper.readValue(json, JobStateRecord.class), streamed);
        assertEquals(new JobStateRecord.EndedJob("e-1", 1, Instant.parse("2026-12-01T10:00:00.5Z"), "j-1", "light",
                Status.SUCCEEDED, null, null, 12L, null, null, null), streamed);
    }

    @Test
    void anyOtherFormIsLeftToBindingAndDecodesAsBefore() throws Exception {
        String base = "{\"type\":\"EndedJob\",\"eventId\":\"e\",\"v\":1,\"jobId\":\"j\",\"pod\":\"p\",";
        for (String other : List.of(
                base + "\"status\":\"FAILED\",\"at\":\"2025-03-01T10:15:30+01:00\"}",   // an offset
                base + "\"status\":\"FAILED\",\"at\":1700000000}",                       // epoch seconds
                base + "\"status\":\"FAILED\",\"at\":\"2025-03-01T10:15:30Z\",\"attempt\":\"2\"}", // a number as text
                base + "\"status\":\"FAILED\",\"at\":\"2025-03-01T10:15:30Z\",\"durationMs\":1.5}",
                "{\"type\":\"LiveJob\",\"eventId\":\"e\",\"v\":1,\"jobId\":\"j\",\"pod\":\"p\",\"status\":\"QUEUED\","
                        + "\"at\":\"2025-03-01T10:15:30Z\",\"payload\":null}")) {
            byte[] bytes = other.getBytes(StandardCharsets.UTF_8);
            assertNull(reader.read(bytes), other);
            assertEquals(mapper.readValue(bytes, JobStateRecord.class), codec.decode(bytes, JobStateRecord.class),
                    other);
        }
    }

    @Test
    void whatBindingRefusesIsRefusedWithItsReason() {
        String base = "{\"eventId\":\"e\",\"v\":1,\"jobId\":\"j\",\"pod\":\"p\",\"at\":\"2025-03-01T10:15:30Z\",";
        assertEquals("unknown type 'Other' for JobStateRecord", refused(base + "\"type\":\"Other\"}"));
        assertEquals("missing type for JobStateRecord", refused(base + "\"status\":\"FAILED\"}"));
        String badStatus = refused(base + "\"type\":\"EndedJob\",\"status\":\"LOST\"}");
        assertEquals(true, badStatus.startsWith("not a valid JobStateRecord"), badStatus);
        assertEquals(true, refused("{\"type\":\"EndedJob\",").startsWith("not a valid JobStateRecord"));
        assertEquals("EndedJob without eventId", refused("{\"type\":\"EndedJob\",\"v\":1,\"jobId\":\"j\",\"pod\":\"p\","
                + "\"at\":\"2025-03-01T10:15:30Z\",\"status\":\"FAILED\"}"));
        assertEquals("EndedJob without the id it is about", refused("{\"type\":\"EndedJob\",\"eventId\":\"e\",\"v\":1,"
                + "\"pod\":\"p\",\"at\":\"2025-03-01T10:15:30Z\",\"status\":\"FAILED\"}"));
    }

    private String refused(String json) {
        return assertThrows(UndecodableRecordException.class,
                () -> codec.decode(json.getBytes(StandardCharsets.UTF_8), JobStateRecord.class)).getMessage();
    }

    private static JobStateRecord.EndedJob ended(Random random, int i) {
        Status status = List.of(Status.SUCCEEDED, Status.FAILED, Status.ABORTED).get(random.nextInt(3));
        String error = status == Status.SUCCEEDED ? null
                : "node said \"no\" \u00e9\u4e2d\n\ttab " + "x".repeat(random.nextInt(700));
        return new JobStateRecord.EndedJob("e-" + i, 1, instant(random), "job-" + i, "pod-" + random.nextInt(5), status,
                random.nextBoolean() ? null : 1 + random.nextInt(3), random.nextBoolean() ? null : "pod-n" + i,
                random.nextBoolean() ? null : random.nextLong(0, Long.MAX_VALUE), error,
                random.nextBoolean() ? "kafka" : "http", random.nextBoolean() ? null : instant(random));
    }

    private static JobStateRecord.LiveJob live(Random random, int i) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode().put("n", i).put("s", "t\u00e9xt");
        payload.putArray("list").add(1.5).add(true).addNull().addObject().put("k", "v");
        return new JobStateRecord.LiveJob("e-" + i, 1, instant(random), "job-" + i, "pod", random.nextBoolean()
                ? Status.QUEUED : Status.RUNNING, 1 + random.nextInt(3), random.nextBoolean() ? payload : null,
                random.nextBoolean() ? null : instant(random), random.nextBoolean() ? null : random.nextInt(1, 3600),
                "http", instant(random));
    }

    private static Instant instant(Random random) {
        return Instant.ofEpochSecond(random.nextLong(1_700_000_000L, 1_900_000_000L),
                random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
    }
}
