package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading traces: the rate as a step function, and one-line errors naming the line. */
class TraceReaderTest {

    private static Trace read(String text) throws Exception {
        return TraceReader.read(new StringReader(text), "t.csv");
    }

    @Test
    void readsRowsAndHoldsEachRateUntilTheNextRow() throws Exception {
        Trace t = read("t_seconds,requests_per_second\r\n0,5\r\n\r\n 10 , 12.5 \r\n20,0\r\n");
        assertEquals(List.of(new Trace.Point(0, 5), new Trace.Point(10, 12.5), new Trace.Point(20, 0)), t.points());
        assertEquals(21, t.seconds(), "steps 0 to 20, both included");
        assertEquals(5, t.rateAt(0));
        assertEquals(5, t.rateAt(9));
        assertEquals(12.5, t.rateAt(10));
        assertEquals(12.5, t.rateAt(19));
        assertEquals(0, t.rateAt(20));
    }

    @Test
    void aTraceMayStartLaterThanZero() throws Exception {
        Trace t = read("t_seconds,requests_per_second\n100,1\n102.5,2\n105,3\n");
        assertEquals(6, t.seconds());
        assertEquals(1, t.rateAt(2), "102 s: still the first row");
        assertEquals(2, t.rateAt(3));
        assertEquals(3, t.rateAt(5));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|t.csv: empty file (expected the header t_seconds,requests_per_second)",
        "'\n'|t.csv: empty file (expected the header t_seconds,requests_per_second)",
        "'t_seconds,requests_per_second\n'|t.csv: no rows after the header t_seconds,requests_per_second",
        "'time,rps\n0,1\n'|t.csv line 1: header 'time,rps' is not t_seconds,requests_per_second",
        "'t_seconds,requests_per_second\n0,1\n1,2,3\n'|t.csv line 3: expected 2 columns "
            + "(t_seconds,requests_per_second), found 3",
        "'t_seconds,requests_per_second\n0\n'|t.csv line 2: expected 2 columns (t_seconds,requests_per_second), found 1",
        "'t_seconds,requests_per_second\nzero,1\n'|t.csv line 2: t_seconds 'zero' is not a number",
        "'t_seconds,requests_per_second\n0,\n'|t.csv line 2: requests_per_second '' is not a number",
        "'t_seconds,requests_per_second\n0,NaN\n'|t.csv line 2: requests_per_second 'NaN' is not a finite number",
        "'t_seconds,requests_per_second\n0,1\n1,2\n\n2,-5\n'|t.csv line 5: requests_per_second -5 is negative",
        "'t_seconds,requests_per_second\n-1,1\n'|t.csv line 2: t_seconds -1 is negative",
        "'t_seconds,requests_per_second\n0,1\n5,1\n5,2\n'|t.csv line 4: t_seconds 5 is not after 5 (line 3)",
        "'t_seconds,requests_per_second\n0,1\n5,1\n\n4.5,2\n'|t.csv line 5: t_seconds 4.5 is not after 5 (line 3)",
    })
    void badFilesAreOneLineNamingTheLine(String text, String message) {
        TraceException e = assertThrows(TraceException.class, () -> read(text));
        assertEquals(message, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aMissingFileSaysSo() {
        TraceException e = assertThrows(TraceException.class, () -> TraceReader.read(Path.of("/nonexistent/t.csv")));
        assertEquals("/nonexistent/t.csv: cannot read: /nonexistent/t.csv", e.getMessage());
    }
}
