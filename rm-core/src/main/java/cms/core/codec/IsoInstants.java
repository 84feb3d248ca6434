package cms.core.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.Instant;
import java.time.Month;
import java.time.Year;

/**
 * Reads the instants CMS writes ({@code 2025-03-01T10:15:30.123Z}: UTC, ISO-8601, 0 to 9 fraction digits) without
 * {@code DateTimeFormatter}, which costs several microseconds per instant and dominated reading a state topic at
 * start (every record carries two or three). Any other form (an offset, epoch numbers) goes to Jackson's own
 * {@link InstantDeserializer}, so what is accepted is unchanged.
 */
final class IsoInstants extends JsonDeserializer<Instant> {

    static final IsoInstants INSTANCE = new IsoInstants();
    /** Days from 0000-01-01 to 1970-01-01. */
    private static final long DAYS_YEAR0_TO_1970 = 719_528;

    private IsoInstants() {
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            Instant fast = parse(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (fast != null) {
                return fast;
            }
        }
        return InstantDeserializer.INSTANT.deserialize(p, ctx);
    }

    /** The instant, or null when {@code s} is not of the plain UTC form (the caller then parses it fully). */
    static Instant parse(String s) {
        return parse(s.toCharArray(), 0, s.length());
    }

    /**
     * As {@link #parse(String)}, of {@code c[offset, offset + n)}: a parser's own characters, read without making a
     * String of them.
     */
    static Instant parse(char[] c, int offset, int n) {
        int o = offset;
        if (n < 20 || n > 30 || c[o + 4] != '-' || c[o + 7] != '-' || c[o + 10] != 'T'
                || c[o + 13] != ':' || c[o + 16] != ':' || c[o + n - 1] != 'Z') {
            return null;
        }
        int year = digits(c, o, o + 4);
        int month = digits(c, o + 5, o + 7);
        int day = digits(c, o + 8, o + 10);
        int hour = digits(c, o + 11, o + 13);
        int minute = digits(c, o + 14, o + 16);
        int second = digits(c, o + 17, o + 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (c[o + 19] != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(c, o + 20, o + n - 1);
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        if ((year | month | day | hour | minute | second | nanos) < 0 || hour > 23 || minute > 59 || second > 59
                || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay(year, month, day) * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    }

    /**
     * Days from 1970-01-01 to a valid date of the proleptic Gregorian calendar (as {@code LocalDate.toEpochDay}, without
     * making a {@code LocalDate}): whole years since year 0, the leap days among them, then the days of this year.
     */
    private static long epochDay(int year, int month, int day) {
        long before = year - 1L; // the years before this one, from year 1 (year 0 is a leap year: counted on its own)
        long leapDays = Math.floorDiv(before, 4) - Math.floorDiv(before, 100) + Math.floorDiv(before, 400) + 1;
        long fromYear0 = 365L * year + leapDays + Month.of(month).firstDayOfYear(Year.isLeap(year)) - 1 + day - 1;
        return fromYear0 - DAYS_YEAR0_TO_1970;
    }

    /** The number in {@code c[from, to)}, or -1 when a character is not a digit. */
    private static int digits(char[] c, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char d = c[i];
            if (d < '0' || d > '9') {
                return -1;
            }
            v = v * 10 + (d - '0');
        }
        return v;
    }
}
