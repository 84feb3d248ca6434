package cms.elasticity.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a trace from CSV: the header {@code t_seconds,requests_per_second}, then one row per change of
 * rate, times strictly increasing from 0, rates 0 or more. Blank lines are skipped. The first problem
 * found is thrown as one line naming the file and the line number.
 */
public final class TraceReader {

    public static final String HEADER = "t_seconds,requests_per_second";

    private TraceReader() {
    }

    public static Trace read(Path file) throws TraceException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new TraceException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads from {@code in}; {@code source} names it in messages. */
    public static Trace read(Reader in, String source) throws IOException, TraceException {
        BufferedReader lines = new BufferedReader(in);
        String header = lines.readLine();
        if (header == null || header.isBlank()) {
            throw new TraceException(source + ": empty file (expected the header " + HEADER + ")");
        }
        if (!header.replace("\uFEFF", "").replace(" ", "").equalsIgnoreCase(HEADER)) {
            throw new TraceException(source + " line 1: header '" + header.strip() + "' is not " + HEADER);
        }
        List<Trace.Point> points = new ArrayList<>();
        int lineNo = 1;
        int previousLine = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            Trace.Point p = row(line, source + " line " + lineNo + ": ");
            if (!points.isEmpty() && p.tSeconds() <= points.get(points.size() - 1).tSeconds()) {
                throw new TraceException(source + " line " + lineNo + ": t_seconds " + text(p.tSeconds())
                        + " is not after " + text(points.get(points.size() - 1).tSeconds()) + " (line "
                        + previousLine + ")");
            }
            points.add(p);
            previousLine = lineNo;
        }
        if (points.isEmpty()) {
            throw new TraceException(source + ": no rows after the header " + HEADER);
        }
        return new Trace(points);
    }

    private static Trace.Point row(String line, String where) throws TraceException {
        String[] cells = line.split(",", -1);
        if (cells.length != 2) {
            throw new TraceException(where + "expected 2 columns (" + HEADER + "), found " + cells.length);
        }
        double t = number(cells[0], "t_seconds", where);
        double rate = number(cells[1], "requests_per_second", where);
        return new Trace.Point(t, rate);
    }

    private static double number(String cell, String column, String where) throws TraceException {
        double v;
        try {
            v = Double.parseDouble(cell.strip());
        } catch (NumberFormatException e) {
            throw new TraceException(where + column + " '" + cell.strip() + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new TraceException(where + column + " '" + cell.strip() + "' is not a finite number");
        }
        if (v < 0) {
            throw new TraceException(where + column + " " + text(v) + " is negative");
        }
        return v;
    }

    private static String text(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
