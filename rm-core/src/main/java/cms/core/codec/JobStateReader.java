package cms.core.codec;

import cms.core.event.JobStateRecord;
import cms.core.event.JobStateRecord.Status;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;

/**
 * Reads a {@code job-state} value of the form CMS writes with Jackson's streaming parser, field by field, instead of
 * data binding: the resource manager and every web service read the whole idempotency window of these at each start
 * (200 000 by default), where binding cost several microseconds a record and kept the JIT busy compiling its general
 * paths. Any value not of that plain form (a field of another JSON type, an instant with an offset, an unknown
 * status or type, a null where a number must be, malformed JSON) gets {@code null} here, and {@link EventCodec} then
 * binds it as before: what is accepted, and every error message, stays Jackson's.
 */
final class JobStateReader {

    private static final Status[] STATUSES = Status.values();

    /** Slots of {@link #strings}: many times the pods, nodes, sources and reasons a cluster has at once. */
    static final int SHARED_STRINGS = 1024;

    private final JsonFactory factory;
    private final ObjectMapper mapper;
    /** The values that repeat from record to record, one instance each (the window holds 200 000 records). */
    private final StringCache strings = new StringCache(SHARED_STRINGS);

    JobStateReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.factory = mapper.getFactory();
    }

    /** The record, or null when {@code value} is not of the plain form (the caller binds it instead). */
    JobStateRecord read(byte[] value) {
        return read(value, null);
    }

    /** As {@link #read(byte[])}; the job id is {@code key} itself when equal to it ({@code key} may be null). */
    JobStateRecord read(byte[] value, String key) {
        try (JsonParser p = factory.createParser(value)) {
            return p.nextToken() == JsonToken.START_OBJECT ? fields(p, key) : null;
        } catch (IOException | NotPlain e) {
            return null;
        }
    }

    /** Every field of the one object, in any order; unknown fields skipped, as {@link EventCodec} ignores them. */
    private JobStateRecord fields(JsonParser p, String key) throws IOException {
        Fields f = new Fields();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type" -> f.type = shared(p, v);
                case "eventId" -> f.eventId = text(p, v);
                case "v" -> f.v = number(p, v);
                case "at" -> f.at = instant(p, v);
                case "jobId" -> f.jobId = id(p, v, key);
                case "pod" -> f.pod = shared(p, v);
                case "status" -> f.status = status(p, v);
                case "attempt" -> f.attempt = v == JsonToken.VALUE_NULL ? null : number(p, v);
                case "node" -> f.node = shared(p, v);
                case "durationMs" -> f.durationMs = v == JsonToken.VALUE_NULL ? null : longNumber(p, v);
                case "error" -> f.error = shared(p, v);
                case "source" -> f.source = shared(p, v);
                case "queuedAt" -> f.queuedAt = instant(p, v);
                case "notBefore" -> f.notBefore = instant(p, v);
                case "timeoutSeconds" -> f.timeoutSeconds = v == JsonToken.VALUE_NULL ? null : number(p, v);
                case "payload" -> f.payload = payload(p, v);
                default -> p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
            return null;
        }
        return f.record();
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw NotPlain.INSTANCE;
        }
        return p.getText();
    }

    /** As {@link #text}, {@code key} itself when the text is equal to it. */
    private static String id(JsonParser p, JsonToken v, String key) throws IOException {
        if (key == null || v != JsonToken.VALUE_STRING) {
            return text(p, v);
        }
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        return StringCache.same(key, chars, offset, length) ? key : new String(chars, offset, length);
    }

    /** As {@link #text}, the instance held for an equal value when there is one. */
    private String shared(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw NotPlain.INSTANCE;
        }
        return strings.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    private static int number(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw NotPlain.INSTANCE;
        }
        return p.getIntValue();
    }

    private static long longNumber(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw NotPlain.INSTANCE;
        }
        return p.getLongValue();
    }

    /** A job's payload as a tree; a JSON null is left to binding (which makes it a {@code NullNode}). */
    private JsonNode payload(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            throw NotPlain.INSTANCE;
        }
        return mapper.readTree(p);
    }

    private static Instant instant(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        Instant at = v == JsonToken.VALUE_STRING
                ? IsoInstants.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()) : null;
        if (at == null) {
            throw NotPlain.INSTANCE;
        }
        return at;
    }

    private Status status(JsonParser p, JsonToken v) throws IOException {
        String s = shared(p, v);
        if (s == null) {
            return null;
        }
        for (Status status : STATUSES) {
            if (status.name().equals(s)) {
                return status;
            }
        }
        throw NotPlain.INSTANCE;
    }

    /** The fields read so far; {@link #record()} builds the type named. */
    private static final class Fields {
        String type;
        String eventId;
        int v;
        Instant at;
        String jobId;
        String pod;
        Status status;
        Integer attempt;
        String node;
        Long durationMs;
        String error;
        String source;
        Instant queuedAt;
        Instant notBefore;
        Integer timeoutSeconds;
        JsonNode payload;

        JobStateRecord record() {
            if ("EndedJob".equals(type)) {
                return new JobStateRecord.EndedJob(eventId, v, at, jobId, pod, status, attempt, node, durationMs, error,
                        source, queuedAt);
            }
            if ("LiveJob".equals(type) && attempt != null) {
                return new JobStateRecord.LiveJob(eventId, v, at, jobId, pod, status, attempt, payload, notBefore,
                        timeoutSeconds, source, queuedAt);
            }
            return null;
        }
    }

    /** A value not of the plain form: thrown without a stack trace, caught in {@link #read}. */
    private static final class NotPlain extends RuntimeException {
        static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super("not of the plain form", null, false, false);
        }
    }
}
