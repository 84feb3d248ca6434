package cms.core.codec;

import cms.core.event.Event;
import cms.core.event.JobStateRecord;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Reads and writes every CMS event as JSON. Owns the one configured {@link ObjectMapper}: unknown fields
 * are ignored (fields are only ever added), an unknown {@code type} is an error, times are ISO-8601.
 */
public final class EventCodec {

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("cms-instants").addDeserializer(Instant.class, IsoInstants.INSTANCE))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .build();
    private final JobStateReader jobStates = new JobStateReader(mapper);

    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] encode(Event event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /** Any value as JSON text (API answers); a value Jackson cannot write is a bug, thrown unchecked. */
    public String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * Decodes one value as the given topic type, and checks the envelope every event must carry.
     *
     * @throws UndecodableRecordException with a one-line reason, for the dead-letter topic
     */
    public <T extends Event> T decode(byte[] value, Class<T> type) throws UndecodableRecordException {
        return decode(value, type, null);
    }

    /**
     * As {@link #decode} of a {@code job-state} value read under {@code key}: the record's job id is the key's own
     * String when they are equal (a start holds the whole window: one String per job, not two).
     */
    public JobStateRecord decodeJobState(byte[] value, String key) throws UndecodableRecordException {
        return decode(value, JobStateRecord.class, key);
    }

    private <T extends Event> T decode(byte[] value, Class<T> type, String key) throws UndecodableRecordException {
        if (value == null || value.length == 0) {
            throw new UndecodableRecordException("empty value");
        }
        T event;
        if (type == JobStateRecord.class) {
            JobStateRecord plain = jobStates.read(value, key);
            if (plain != null) {
                checkEnvelope(plain);
                return type.cast(plain);
            }
        }
        try {
            event = mapper.readValue(value, type);
        } catch (InvalidTypeIdException e) {
            throw new UndecodableRecordException(e.getTypeId() == null ? "missing type for " + type.getSimpleName()
                    : "unknown type '" + e.getTypeId() + "' for " + type.getSimpleName(), e);
        } catch (IOException e) {
            throw new UndecodableRecordException("not a valid " + type.getSimpleName() + ": "
                    + firstLine(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (event == null) {
            throw new UndecodableRecordException("value is JSON null, not a " + type.getSimpleName());
        }
        checkEnvelope(event);
        return event;
    }

    private static void checkEnvelope(Event event) throws UndecodableRecordException {
        String kind = event.getClass().getSimpleName();
        if (event.eventId() == null || event.eventId().isBlank()) {
            throw new UndecodableRecordException(kind + " without eventId");
        }
        if (event.v() < 1) {
            throw new UndecodableRecordException(kind + " without schema version v");
        }
        if (event.at() == null) {
            throw new UndecodableRecordException(kind + " without time 'at'");
        }
        String key;
        try {
            key = event.key();
        } catch (NullPointerException e) {
            key = null;
        }
        if (key == null || key.isBlank()) {
            throw new UndecodableRecordException(kind + " without the id it is about");
        }
    }

    /** The first line of an exception message, for one-line reasons. */
    static String firstLine(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
