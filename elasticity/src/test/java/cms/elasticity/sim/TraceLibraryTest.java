package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace library: the files in docs/traces are what the generator makes, and each shape is the shape it names. */
class TraceLibraryTest {

    private static final Path DOCS = Path.of("..", "docs", "traces");

    private static Map<String, Trace> shapes() {
        return TraceLibrary.generate(TraceLibrary.SEED).stream()
                .collect(Collectors.toMap(TraceLibrary.Shape::name, TraceLibrary.Shape::trace));
    }

    private static double[] rates(Trace t) {
        return IntStream.range(0, t.seconds()).mapToDouble(t::rateAt).toArray();
    }

    private static double mean(double[] r, int from, int to) {
        return IntStream.range(from, to).mapToDouble(i -> r[i]).average().orElseThrow();
    }

    @Test
    void theFilesInDocsTracesAreTheGeneratorsOutputForItsSeedByteForByte() throws Exception {
        for (TraceLibrary.Shape shape : TraceLibrary.generate(TraceLibrary.SEED)) {
            Path file = DOCS.resolve(shape.name() + ".csv");
            assertTrue(Files.isRegularFile(file), file + " is missing: run cms elasticity traces");
            assertEquals(shape.csv(), Files.readString(file, StandardCharsets.UTF_8), file + " differs from the generator's");
        }
    }

    @Test
    void writeMakesFilesTheReaderReadsBackAsTheSameTraces(@TempDir Path dir) throws Exception {
        List<TraceLibrary.Shape> shapes = TraceLibrary.generate(7);
        List<Path> files = TraceLibrary.write(dir.resolve("lib"), shapes);
        assertEquals(6, files.size());
        for (int i = 0; i < shapes.size(); i++) {
            assertEquals(shapes.get(i).trace(), TraceReader.read(files.get(i)), files.get(i).toString());
            assertEquals(shapes.get(i).trace(), TraceReader.read(new StringReader(shapes.get(i).csv()), "csv"));
        }
        assertEquals(List.of("daily-cycle", "flash-crowd", "slow-ramp", "sawtooth", "noisy-plateau", "on-off-bursts"),
                shapes.stream().map(TraceLibrary.Shape::name).toList());
        assertTrue(shapes.stream().map(TraceLibrary.Shape::name).toList().containsAll(TraceLibrary.HELD_OUT));
    }

    @Test
    void aSeedGivesTheSameTracesAndAnotherSeedOtherNoise() {
        assertEquals(TraceLibrary.generate(3), TraceLibrary.generate(3));
        List<TraceLibrary.Shape> a = TraceLibrary.generate(3);
        List<TraceLibrary.Shape> b = TraceLibrary.generate(4);
        for (int i = 0; i < a.size(); i++) {
            assertNotEquals(a.get(i).trace(), b.get(i).trace(), a.get(i).name());
            assertEquals(a.get(i).trace().seconds(), b.get(i).trace().seconds(), "the noise moves, not the shape");
        }
    }

    @Test
    void theDailyCycleHasANightTroughAMorningPeakAndAHigherEveningPeak() {
        double[] r = rates(shapes().get("daily-cycle"));
        assertEquals(4 * 3600, r.length);
        assertTrue(mean(r, 0, 600) < 8, "night");
        double morning = mean(r, 5100, 5700);
        double evening = mean(r, 11280, 11760);
        assertTrue(morning > 40 && morning < 55, "morning " + morning);
        assertTrue(evening > 80 && evening < 95, "evening " + evening);
        assertTrue(mean(r, 8400, 8700) < morning, "a dip between the peaks");
    }

    @Test
    void theFlashCrowdArrivesWithinTenSecondsAndDriftsAway() {
        double[] r = rates(shapes().get("flash-crowd"));
        assertEquals(1800, r.length);
        assertTrue(mean(r, 0, 600) < 13, "before");
        assertTrue(r[610] > 90 && mean(r, 610, 670) > 90, "within 10 s it is there, for a minute");
        assertTrue(r[1000] < 20 && mean(r, 1500, 1800) < 13, "gone");
    }

    @Test
    void theSlowRampRisesSteadilyThenHolds() {
        double[] r = rates(shapes().get("slow-ramp"));
        assertEquals(2700, r.length);
        double previous = 0;
        for (int minute = 4; minute <= 34; minute += 5) {
            double m = mean(r, minute * 60, minute * 60 + 60);
            assertTrue(m > previous, "minute " + minute);
            previous = m;
        }
        assertTrue(mean(r, 2100, 2700) > 95);
    }

    @Test
    void theSawtoothHasSixTeethThatFallAtOnce() {
        double[] r = rates(shapes().get("sawtooth"));
        for (int tooth = 0; tooth < 6; tooth++) {
            int start = tooth * 300;
            assertTrue(r[start + 265] > 75 && r[start + 275] < 11, "tooth " + tooth);
            assertTrue(r[start + 5] < 13, "tooth " + tooth);
        }
    }

    @Test
    void theNoisyPlateauMovesEverySecondAroundItsMean() {
        double[] r = rates(shapes().get("noisy-plateau"));
        double m = mean(r, 300, 1500);
        assertTrue(m > 45 && m < 55, "mean " + m);
        double sd = Math.sqrt(IntStream.range(300, 1500).mapToDouble(i -> (r[i] - m) * (r[i] - m)).average().orElseThrow());
        assertTrue(sd > 0.12 * m && sd < 0.3 * m, "sd " + sd);
        long changes = IntStream.range(301, 1500).filter(i -> r[i] != r[i - 1]).count();
        assertTrue(changes > 1100, "a new rate nearly every second: " + changes);
    }

    @Test
    void theBurstsAlternateOffAndOnWithinTheirLengths() {
        double[] r = rates(shapes().get("on-off-bursts"));
        assertTrue(r[0] < 6, "it starts off");
        int runStart = 0;
        int bursts = 0;
        for (int i = 1; i <= r.length; i++) {
            boolean end = i == r.length || (r[i] > 30) != (r[i - 1] > 30);
            if (end) {
                int length = i - runStart;
                boolean on = r[i - 1] > 30;
                bursts += on ? 1 : 0;
                if (i < r.length && runStart > 0) {
                    assertTrue(on ? length >= 30 && length <= 90 : length >= 60 && length <= 180,
                            (on ? "on " : "off ") + length + " s at " + runStart);
                }
                runStart = i;
            }
        }
        assertTrue(bursts >= 8, "bursts " + bursts);
    }

    @Test
    void everyShapeHasADescription() {
        Map<String, String> d = TraceLibrary.generate(1).stream()
                .collect(Collectors.toMap(TraceLibrary.Shape::name, TraceLibrary.Shape::description));
        assertEquals(6, d.size(), "six names, none twice");
        assertTrue(d.values().stream().allMatch(s -> s.length() > 20), d.toString());
    }
}
