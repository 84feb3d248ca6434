package cms.elasticity.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * The trace library: six load shapes made from one seed, written as CSV files ({@code docs/traces/NAME.csv}) by
 * {@code cms elasticity traces}. Each shape draws its noise from its own {@link Random} (seed + its index), so
 * changing one shape leaves the others as they are; {@link Random}'s algorithm is fixed by the JDK's
 * specification, so a seed gives the same files on every JDK. Rates are in requests/s for the simulator's pod
 * model (6 requests/s per node at full CPU, at most 20 nodes): the peaks stay near 100 requests/s (17 nodes), so
 * a policy that keeps half of each node free (HPA's 0.5 target) is held back by MAX at the peaks, as it would be.
 */
public final class TraceLibrary {

    /** The seed of the files in {@code docs/traces/}. */
    public static final long SEED = 20261201L;

    /**
     * The shapes whose results were not looked at while the policy's numbers were chosen (decided before the
     * first run over the library): a day's cycle, a flash crowd and on/off bursts. The others, and the older
     * hand-made {@code rise-step-spike-drop.csv}, are the tuning set.
     */
    public static final Set<String> HELD_OUT = Set.of("daily-cycle", "flash-crowd", "on-off-bursts");

    /** One shape: its file name (without {@code .csv}), what it is, and its rows. */
    public record Shape(String name, String description, Trace trace) {

        /** The CSV text {@link TraceReader} reads: the header, then {@code t,rate} rows, rates to 0.1. */
        public String csv() {
            StringBuilder s = new StringBuilder(TraceReader.HEADER).append('\n');
            for (Trace.Point p : trace.points()) {
                s.append((long) p.tSeconds()).append(',')
                        .append(String.format(Locale.ROOT, "%.1f", p.requestsPerSecond())).append('\n');
            }
            return s.toString();
        }
    }

    private TraceLibrary() {
    }

    /** The six shapes for {@code seed}, in a fixed order. */
    public static List<Shape> generate(long seed) {
        return List.of(dailyCycle(new Random(seed)), flashCrowd(new Random(seed + 1)), slowRamp(new Random(seed + 2)),
                sawtooth(new Random(seed + 3)), noisyPlateau(new Random(seed + 4)), onOffBursts(new Random(seed + 5)));
    }

    /** Writes {@code NAME.csv} for every shape into {@code dir} (created if missing); returns the files written. */
    public static List<Path> write(Path dir, List<Shape> shapes) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (Shape shape : shapes) {
            Path file = dir.resolve(shape.name() + ".csv");
            Files.writeString(file, shape.csv(), StandardCharsets.UTF_8);
            files.add(file);
        }
        return files;
    }

    /**
     * A day played in 4 hours (6× faster than real time, so HPA's 5-minute window is 30 minutes of the day): a
     * night trough of 6 requests/s, a morning peak near 50, an evening peak near 90, ±4 % noise, a row every 10 s.
     */
    static Shape dailyCycle(Random random) {
        int length = 4 * 3600;
        DoubleUnaryOperator day = t -> {
            double x = t / length;
            return 6 + 44 * bell(x, 0.375, 0.10) + 84 * bell(x, 0.80, 0.07);
        };
        return new Shape("daily-cycle", "a day in 4 hours: night trough 6/s, morning peak ~50/s, evening peak ~90/s, "
                + "±4 % noise every 10 s", sampled(length, 10, t -> day.applyAsDouble(t) * noise(random, 0.04)));
    }

    /**
     * 30 minutes: 12 requests/s, then at minute 10 a crowd arrives within 10 s (96 requests/s), stays a minute, and
     * drifts away over about five minutes (exponential decay, 90 s time constant); ±3 % noise, a row every 5 s.
     */
    static Shape flashCrowd(Random random) {
        DoubleUnaryOperator rate = t -> {
            if (t < 600) {
                return 12;
            }
            if (t < 610) {
                return 12 + 84 * (t - 600 + 5) / 10;
            }
            if (t < 670) {
                return 96;
            }
            return 12 + 84 * Math.exp(-(t - 670) / 90);
        };
        return new Shape("flash-crowd", "12/s, a crowd within 10 s at minute 10 (96/s) for a minute, gone over ~5 min; "
                + "±3 % noise every 5 s", sampled(1800, 5, t -> rate.applyAsDouble(t) * noise(random, 0.03)));
    }

    /** 45 minutes: 5 requests/s for 3 minutes, a straight ramp to 100 by minute 35, then 10 minutes there; ±3 %. */
    static Shape slowRamp(Random random) {
        DoubleUnaryOperator rate = t -> t < 180 ? 5 : t < 2100 ? 5 + 95 * (t - 180) / 1920 : 100;
        return new Shape("slow-ramp", "5/s for 3 min, a ramp to 100/s by minute 35, 10 min there; ±3 % noise every "
                + "10 s", sampled(2700, 10, t -> rate.applyAsDouble(t) * noise(random, 0.03)));
    }

    /** 30 minutes of 5-minute teeth: from 10 to 80 requests/s over 4½ minutes, then 10 again for 30 s; ±3 %. */
    static Shape sawtooth(Random random) {
        DoubleUnaryOperator rate = t -> {
            double inTooth = t % 300;
            return inTooth < 270 ? 10 + 70 * inTooth / 270 : 10;
        };
        return new Shape("sawtooth", "six 5-min teeth: 10/s rising to 80/s over 4.5 min, back to 10/s for 30 s; ±3 % "
                + "noise every 5 s", sampled(1800, 5, t -> rate.applyAsDouble(t) * noise(random, 0.03)));
    }

    /**
     * 30 minutes, a row every second: 10 requests/s for 5 minutes, 20 minutes around 50 with correlated noise (an
     * AR(1) series, 0.8 of the last second's deviation plus a fresh one, about ±20 % one standard deviation), then
     * 10 again.
     */
    static Shape noisyPlateau(Random random) {
        double[] deviation = {0};
        DoubleUnaryOperator rate = t -> {
            deviation[0] = 0.8 * deviation[0] + 0.12 * random.nextGaussian();
            return t < 300 || t >= 1500 ? 10 * noise(random, 0.03) : 50 * Math.max(0.05, 1 + deviation[0]);
        };
        return new Shape("noisy-plateau", "10/s for 5 min, 20 min around 50/s with correlated noise (sd ~20 %), 10/s "
                + "again; a row every second", sampled(1800, 1, rate));
    }

    /**
     * 30 minutes of bursts: off at 5 requests/s for 60–180 s, on at 70 for 30–90 s (lengths drawn uniformly, in
     * 5 s steps), starting off; ±3 % noise, a row every 5 s.
     */
    static Shape onOffBursts(Random random) {
        int length = 1800;
        boolean[] on = new boolean[length / 5 + 1];
        int row = 0;
        boolean burst = false;
        while (row < on.length) {
            int rows = burst ? 6 + random.nextInt(13) : 12 + random.nextInt(25);
            for (int i = 0; i < rows && row < on.length; i++) {
                on[row++] = burst;
            }
            burst = !burst;
        }
        return new Shape("on-off-bursts", "off at 5/s for 60-180 s, on at 70/s for 30-90 s, drawn at random; ±3 % "
                + "noise every 5 s", sampled(length, 5,
                        t -> (on[(int) t / 5] ? 70 : 5) * noise(random, 0.03)));
    }

    /** Rows at 0, step, 2·step … up to {@code length − 1} (the last second included), rates rounded to 0.1. */
    private static Trace sampled(int length, int step, DoubleUnaryOperator rate) {
        List<Trace.Point> points = new ArrayList<>();
        for (int t = 0; t < length; t += step) {
            points.add(new Trace.Point(t, round(rate.applyAsDouble(t))));
        }
        if ((length - 1) % step != 0) {
            points.add(new Trace.Point(length - 1, points.get(points.size() - 1).requestsPerSecond()));
        }
        return new Trace(points);
    }

    private static double bell(double x, double centre, double width) {
        double z = (x - centre) / width;
        return Math.exp(-z * z);
    }

    /** A factor 1 ± {@code spread}, uniform. */
    private static double noise(Random random, double spread) {
        return 1 + spread * (2 * random.nextDouble() - 1);
    }

    private static double round(double rate) {
        return Math.max(0, Math.round(rate * 10) / 10.0);
    }
}
