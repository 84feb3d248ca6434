package cms.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.event.JobSubmission.JobSubmitted;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading records of the public {@code jobs} topic that other systems write by hand. */
class JobIntakeTest {

    private static final Instant RECORD_TIME = Instant.parse("2025-03-01T10:00:00Z");
    private final EventCodec codec = new EventCodec();
    private final ObjectMapper mapper = codec.mapper();

    private JobSubmitted read(String key, String value) throws UndecodableRecordException {
        return JobIntake.read(mapper, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), 3, 42,
                RECORD_TIME);
    }

    private String refusal(String value) {
        return assertThrows(UndecodableRecordException.class, () -> read("k", value)).getMessage();
    }

    @Test
    void aPodIsAllAJobNeeds() throws Exception {
        JobSubmitted s = read("order-17", "{\"pod\":\"light\"}");

        assertEquals("order-17", s.jobId(), "the record's key");
        assertEquals("light", s.pod());
        assertNull(s.payload());
        assertNull(s.timeoutSeconds());
        assertEquals(RECORD_TIME, s.at());
        assertEquals(1, s.v());
        assertNotNull(s.eventId());
    }

    @Test
    void everyFieldIsTakenWhenGiven() throws Exception {
        JobSubmitted s = read("key", "{\"type\":\"JobSubmitted\",\"eventId\":\"e-1\",\"v\":1,\"at\":"
                + "\"2025-02-01T00:00:00Z\",\"jobId\":\"mine\",\"pod\":\"heavy\",\"payload\":{\"n\":[1,2]},"
                + "\"timeoutSeconds\":30,\"extra\":\"ignored\"}");

        assertEquals(new JobSubmitted("e-1", 1, Instant.parse("2025-02-01T00:00:00Z"), "mine", "heavy",
                mapper.readTree("{\"n\":[1,2]}"), 30), s);
    }

    @Test
    void whatTheCodecWritesIsReadBackTheSame() throws Exception {
        JobSubmitted sent = new JobSubmitted("e-9", 1, Instant.parse("2025-02-01T00:00:00.123Z"), "job-9", "light",
                mapper.readTree("[\"a\",{\"b\":null}]"), 3600);

        JobSubmitted got = JobIntake.read(mapper, "job-9", codec.encode(sent), 0, 0, RECORD_TIME);

        assertEquals(sent, got);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "NULL", "''", "'has space'", "'.dot-first'", "'slash/in/it'"})
    void withoutAUsableKeyTheIdIsThePlaceOfTheRecordTheSameOnEveryReading(String key) throws Exception {
        assertEquals("kafka-3-42", read(key, "{\"pod\":\"light\"}").jobId());
        assertEquals("kafka-3-42", read(key, "{\"pod\":\"light\",\"jobId\":\"  \"}").jobId(), "blank is none");
    }

    @Test
    void theIdInTheValueWinsOverTheKey() throws Exception {
        assertEquals("in-value", read("in-key", "{\"pod\":\"light\",\"jobId\":\"in-value\"}").jobId());
    }

    @Test
    void anIdThatIsNotAnIdIsNotAJob() {
        String reason = refusal("{\"pod\":\"light\",\"jobId\":\"a b\"}");
        assertEquals("jobId 'a b' is not an id (letters, digits, '.', '_', ':', '-'; at most 128)", reason);
        String longOne = refusal("{\"pod\":\"light\",\"jobId\":\"" + "x".repeat(129) + "\"}");
        assertTrue(longOne.startsWith("jobId '" + "x".repeat(40) + "…' is not an id"), longOne);
    }

    @Test
    void idsAreUpTo128SafeCharactersStartingWithALetterOrDigit() {
        assertTrue(JobIntake.validId("a"));
        assertTrue(JobIntake.validId("0rder_17.v2:retry-x"));
        assertTrue(JobIntake.validId("x".repeat(128)));
        assertFalse(JobIntake.validId("x".repeat(129)));
        assertFalse(JobIntake.validId("-x"));
        assertFalse(JobIntake.validId("ä"));
        assertFalse(JobIntake.validId(""));
        assertFalse(JobIntake.validId(null));
    }

    @Test
    void whatIsNotAJobSaysWhy() {
        assertEquals("empty value, not a job", refusal(null));
        assertEquals("empty value, not a job", refusal(""));
        assertTrue(refusal("{\"pod\":").startsWith("not a job: broken JSON ("), refusal("{\"pod\":"));
        assertEquals("not a job: the value is not a JSON object", refusal("[{\"pod\":\"light\"}]"));
        assertEquals("not a job: the value is not a JSON object", refusal("\"light\""));
        assertEquals("unknown type 'JobQueued' for the jobs topic (only JobSubmitted)",
                refusal("{\"type\":\"JobQueued\",\"pod\":\"light\"}"));
    }

    @Test
    void aBrokenRecordsReasonIsOneLine() {
        String reason = refusal("{\"pod\":\n\"light\"\n,,}");
        assertEquals(1, reason.lines().count(), reason);
    }

    @Test
    void aMissingPodIsStillAJobThatTheBookFails() throws Exception {
        assertNull(read("k", "{\"payload\":1}").pod());
        assertNull(read("k", "{\"pod\":\" \"}").pod());
        assertNull(read("k", "{\"pod\":null,\"type\":null}").pod());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "10000000000000", "true", "{}", "\"abc\"", "\"-3\""})
    void aTimeLimitThatIsNotAWholeNumberIsRefusedSayingWhatWasSent(String value) {
        String reason = refusal("{\"pod\":\"light\",\"timeoutSeconds\":" + value + "}");
        assertTrue(reason.contains("timeoutSeconds " + value + " is not a whole number of seconds"), reason);
        assertTrue(reason.startsWith("job k: "), reason);
    }

    @Test
    void aTimeLimitWrittenAsDigitsInAStringIsReadAsANumber() throws Exception {
        assertEquals(30, read("k", "{\"pod\":\"light\",\"timeoutSeconds\":\" 30\"}").timeoutSeconds());
    }

    @Test
    void aTimeThatIsNotAnInstantIsTheRecordsTime() throws Exception {
        assertEquals(RECORD_TIME, read("k", "{\"pod\":\"light\",\"at\":\"yesterday\"}").at());
        assertEquals(RECORD_TIME, read("k", "{\"pod\":\"light\",\"at\":1700000000}").at());
    }

    @Test
    void anyJsonPayloadIsKeptAndNullIsNone() throws Exception {
        assertEquals(mapper.readTree("\"text\""), read("k", "{\"pod\":\"light\",\"payload\":\"text\"}").payload());
        assertEquals(mapper.readTree("[1]"), read("k", "{\"pod\":\"light\",\"payload\":[1]}").payload());
        assertNull(read("k", "{\"pod\":\"light\",\"payload\":null}").payload());
    }
}
