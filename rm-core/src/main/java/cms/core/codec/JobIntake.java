package cms.core.codec;

import cms.core.event.Ids;
import cms.core.event.JobSubmission;
import cms.core.model.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Reads a record of the public {@code jobs} topic. Other systems write these by hand (the README shows
 * one made with Kafka's console producer), so only what a job needs is required: a JSON object with
 * {@code pod}; {@code type} (if given) must be {@code JobSubmitted}; {@code jobId} defaults to the
 * record's key, or else to {@code kafka-PARTITION-OFFSET} (the same on every reading, so a replayed
 * record is the same job); {@code payload}, {@code timeoutSeconds}, {@code eventId}, {@code v} and
 * {@code at} are optional. Whatever is not a job at all is an {@link UndecodableRecordException} for the
 * dead-letter topic; a job with a bad field is still a job (its id is known) and ends FAILED.
 */
public final class JobIntake {

    /** Kafka header of a {@code jobs} record naming the way the job came in ({@code http}); none: {@code kafka}. */
    public static final String SOURCE_HEADER = "cms-source";

    /** Job ids: what is safe in a URL path and a Kafka key ({@link Names#JOB_ID}, the contract's one rule). */
    public static final Pattern ID = Names.JOB_ID;

    private JobIntake() {
    }

    public static boolean validId(String id) {
        return Names.validJobId(id);
    }

    public static JobSubmission.JobSubmitted read(ObjectMapper mapper, String key, byte[] value, int partition,
                                                  long offset, Instant recordTime) throws UndecodableRecordException {
        if (value == null || value.length == 0) {
            throw new UndecodableRecordException("empty value, not a job");
        }
        JsonNode json;
        try {
            json = mapper.readTree(value);
        } catch (IOException e) {
            throw new UndecodableRecordException("not a job: broken JSON (" + EventCodec.firstLine(e.getMessage()) + ")", e);
        }
        if (json == null || !json.isObject()) {
            throw new UndecodableRecordException("not a job: the value is not a JSON object");
        }
        JsonNode type = json.get("type");
        if (type != null && !type.isNull() && !"JobSubmitted".equals(type.asText())) {
            throw new UndecodableRecordException("unknown type '" + type.asText() + "' for the jobs topic "
                    + "(only JobSubmitted)");
        }
        String jobId = text(json, "jobId");
        if (jobId == null) {
            jobId = validId(key) ? key : "kafka-" + partition + "-" + offset;
        } else if (!validId(jobId)) {
            throw new UndecodableRecordException("jobId '" + abbreviate(jobId) + "' is not an id (letters, digits, "
                    + "'.', '_', ':', '-'; at most 128)");
        }
        JsonNode timeout = json.get("timeoutSeconds");
        Integer timeoutSeconds = null;
        if (timeout != null && !timeout.isNull()) {
            if (timeout.isIntegralNumber() && timeout.canConvertToInt()) {
                timeoutSeconds = timeout.intValue();
            } else if (timeout.isTextual() && timeout.asText().trim().matches("\\d{1,9}")) {
                timeoutSeconds = Integer.parseInt(timeout.asText().trim());
            } else {
                throw new UndecodableRecordException("job " + jobId + ": timeoutSeconds " + abbreviate(timeout.toString())
                        + " is not a whole number of seconds");
            }
        }
        JsonNode at = json.get("at");
        Instant when = recordTime;
        if (at != null && at.isTextual()) {
            try {
                when = Instant.parse(at.asText());
            } catch (RuntimeException e) {
                when = recordTime;
            }
        }
        String eventId = text(json, "eventId");
        JsonNode payload = json.get("payload");
        return new JobSubmission.JobSubmitted(eventId == null ? Ids.next() : eventId, 1, when, jobId,
                text(json, "pod"), payload == null || payload.isNull() ? null : payload, timeoutSeconds);
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
