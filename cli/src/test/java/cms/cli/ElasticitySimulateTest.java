package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.elasticity.policy.ScalingPolicy;
import cms.elasticity.sim.LibraryRun;
import cms.elasticity.sim.MetricsTable;
import cms.elasticity.sim.PodModel;
import cms.elasticity.sim.ReferenceSweep;
import cms.elasticity.sim.Simulation;
import cms.elasticity.sim.SimulationSettings;
import cms.elasticity.sim.TraceReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code cms elasticity simulate}: the table for a small trace, the plot, and one-line usage errors. */
class ElasticitySimulateTest {

    private record Run(int exit, String out, String err) {
    }

    @TempDir
    Path dir;

    private Path trace(String rows) throws Exception {
        Path file = dir.resolve("t.csv");
        Files.writeString(file, "t_seconds,requests_per_second\n" + rows);
        return file;
    }

    private static Run cms(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CmsMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> cells(String line) {
        return List.of(line.trim().split(" {2,}"));
    }

    @Test
    void printsOneRowPerScalerWithEveryMetricForTheOptionsGiven() throws Exception {
        Path file = trace("0,4\n60,24\n120,40\n150,8\n400,8\n");
        Run r = cms("elasticity", "simulate", "--trace", file.toString(), "--capacity", "5", "--startup-seconds", "4",
                "--lag-seconds", "2", "--min", "1", "--max", "6", "--mode", "target", "--target", "0.6");
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertEquals(MetricsTable.HEADER, cells(lines.get(0)));
        Simulation.Result expected = Simulation.run(TraceReader.read(file), new PodModel(5, 4, 2),
                new SimulationSettings(ScalingPolicy.Mode.TARGET, ScalingPolicy.Step.ONE, 1, 6, 0.2, 0.8, 0.6));
        List<List<String>> rows = new ArrayList<>();
        lines.subList(1, 4).forEach(l -> rows.add(cells(l)));
        assertEquals(MetricsTable.rows(expected), rows, "the options reach the simulation");
        assertEquals(List.of("cms-target", "original", "hpa"), rows.stream().map(row -> row.get(0)).toList());
        // at 5 requests/s per node demand goes 1 → 5 → 8 → 2: three adaptations, 4 + 3 + 6 node units
        for (List<String> row : rows) {
            assertTrue(row.get(6).endsWith("/3") && row.get(7).endsWith("/13"), row.toString());
        }
    }

    @Test
    void writesTheReportWhenAskedTo() throws Exception {
        Path plot = dir.resolve("out.html");
        Run r = cms("elasticity", "simulate", "--trace", trace("0,4\n60,30\n180,30\n").toString(), "--plot",
                plot.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().endsWith("plot: " + plot + System.lineSeparator()), r.out());
        String html = Files.readString(plot);
        assertTrue(html.contains("<svg") && html.contains("data-series=\"demand\"")
                && html.contains("data-series=\"cms-threshold\""), html);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--capacity 0|capacity 0.0 must be a positive number of requests/s",
        "--capacity lots|'lots' is not a double",
        "--startup-seconds -1|start-up -1 s must be 0 or more",
        "--startup-seconds 2,-1|start-up -1 s must be 0 or more",
        "--lag-seconds -3|lag -3 s must be 0 or more",
        "--min 0|--min 0 must be 1 or more",
        "--min 4 --max 3|--max 3 is below --min 4",
        "--mode fast|--mode 'fast' is not one of threshold, target",
        "--step two|--step 'two' is not one of one, proportional",
        "--lower 0.7 --upper 0.75|--lower 0.7 and --upper 0.75 must be within [0, 1] and at least 0.1 apart",
        "--upper 1.2|--lower 0.2 and --upper 1.2 must be within [0, 1]",
        "--target 1.5|--target 1.5 must be above 0 and at most 1",
        "--demand 1.5|--demand 1.5 must be within [0, 1]",
        "--frobnicate|Unknown option: '--frobnicate'",
    })
    void badOptionsAreOneLineWithExitCode2(String options, String reason) throws Exception {
        List<String> args = new ArrayList<>(List.of("elasticity", "simulate", "--trace", trace("0,1\n").toString()));
        args.addAll(List.of(options.split(" ")));
        assertUsageError(cms(args.toArray(String[]::new)), reason);
    }

    @Test
    void aMissingTraceOptionIsAUsageError() {
        assertUsageError(cms("elasticity", "simulate"), "Missing required option: '--trace=FILE.csv|DIR'");
    }

    @Test
    void aBadTraceIsOneLineNamingTheLineWithExitCode2() throws Exception {
        Path file = trace("0,1\n10,2\n5,3\n");
        assertUsageError(cms("elasticity", "simulate", "--trace", file.toString()),
                file + " line 4: t_seconds 5 is not after 10 (line 3)");
        assertUsageError(cms("elasticity", "simulate", "--trace", dir.resolve("none.csv").toString()),
                "none.csv: cannot read");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertUsageError(cms("elasticity", "simulate", "--trace", empty.toString()), "no .csv trace in this folder");
    }

    @Test
    void aFolderOfTracesAtSeveralStartUpsIsOneTableWithTheGoalsOfEachCase() throws Exception {
        Path lib = dir.resolve("lib");
        Run written = cms("elasticity", "traces", "--out", lib.toString(), "--seed", "5");
        assertEquals(0, written.exit(), written.err());
        assertTrue(written.out().contains("6 traces written, seed 5") && written.out().contains("flash-crowd.csv"),
                written.out());
        Files.copy(trace("0,4\n60,24\n300,24\n"), lib.resolve("a-step.csv"));
        Run r = cms("elasticity", "simulate", "--trace", lib.toString(), "--startup-seconds", "2,30");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1 + 7 * 2 * 3 + 1, lines.size(), r.out());
        assertEquals(LibraryRun.HEADER, cells(lines.get(0)));
        List<String> first = cells(lines.get(1));
        assertEquals(List.of("a-step", "2 s", "cms-threshold"), first.subList(0, 3), "files in name order");
        assertTrue(first.get(first.size() - 1).equals("met") || first.get(first.size() - 1).startsWith("missed: "),
                first.toString());
        assertEquals(List.of("daily-cycle (held out)", "30 s", "hpa"), cells(lines.get(12)).subList(0, 3));
        assertTrue(lines.get(lines.size() - 1).matches("goals met in cms-threshold \\d+ of 14 cases .*"), lines.get(lines.size() - 1));
        // the same trace alone, with one start-up, is the one-case table
        Run one = cms("elasticity", "simulate", "--trace", lib.resolve("a-step.csv").toString());
        assertEquals(MetricsTable.HEADER, cells(one.out().lines().findFirst().orElseThrow()));
        assertUsageError(cms("elasticity", "simulate", "--trace", lib.toString(), "--plot", dir.resolve("p.html")
                .toString()), "--plot draws one run");
    }

    @Test
    void withReferenceEachCaseHasTheReferenceRowsMarkedAndATableOfWhatItCanReach() throws Exception {
        Path step = trace("0,6\n300,60\n600,60\n"); // 1 node, then 10 at once
        Run r = cms("elasticity", "simulate", "--trace", step.toString(), "--startup-seconds", "2,30", "--reference");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1 + 2 * 5 + 1, lines.indexOf(""), "five rows a case (three scalers, two references), the count:\n"
                + r.out());
        List<String> hindsight = cells(lines.get(9));
        assertEquals(List.of("t", "30 s", "ref-hindsight"), hindsight.subList(0, 3), "after the three scalers");
        assertEquals("REFERENCE, not a contender: met", hindsight.get(hindsight.size() - 1));
        assertTrue(cells(lines.get(10)).get(2).startsWith("ref-headroom h="), lines.get(10));
        assertTrue(lines.get(11).startsWith("goals met in cms-threshold ") && !lines.get(11).contains("ref-"),
                lines.get(11));
        assertEquals(ReferenceSweep.HEADER, cells(lines.get(lines.indexOf("") + 2)));
        List<String> slow = cells(lines.get(lines.size() - 1));
        assertEquals(List.of("t", "30 s", "met", "no"), slow.subList(0, 4), "10× at once with 30 s start-ups: only "
                + "hindsight meets the goals");
        Run without = cms("elasticity", "simulate", "--trace", step.toString(), "--startup-seconds", "2,30");
        assertTrue(without.out().lines().noneMatch(l -> l.contains("ref-")), without.out());
    }

    @Test
    void tracesWithTheDefaultSeedAreTheFilesInDocsTraces() throws Exception {
        Path lib = dir.resolve("again");
        assertEquals(0, cms("elasticity", "traces", "--out", lib.toString()).exit());
        for (String name : List.of("daily-cycle", "flash-crowd", "slow-ramp", "sawtooth", "noisy-plateau",
                "on-off-bursts")) {
            assertEquals(Files.readString(Path.of("..", "docs", "traces", name + ".csv")),
                    Files.readString(lib.resolve(name + ".csv")), name);
        }
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Run refused = cms("elasticity", "traces", "--out", file.toString());
        assertEquals(1, refused.exit());
        assertTrue(refused.err().startsWith("cms elasticity traces: cannot write into "), refused.err());
    }

    private static void assertUsageError(Run r, String reason) {
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("cms elasticity simulate: "), r.err());
        assertTrue(r.err().contains(reason), r.err());
    }

    @Test
    void elasticityAloneIsStillTheService() {
        CommandLine.ParseResult parsed = CmsMain.commandLine(System.out, System.err, Map.of()).parseArgs("elasticity");
        assertInstanceOf(ServiceCommands.Elasticity.class, parsed.subcommand().commandSpec().userObject());
        assertNull(parsed.subcommand().subcommand(), "no sub-command: the service runs");
        CommandLine.ParseResult sim = CmsMain.commandLine(System.out, System.err, Map.of())
                .parseArgs("elasticity", "simulate", "--trace", "t.csv");
        assertInstanceOf(SimulateCommand.class, sim.subcommand().subcommand().commandSpec().userObject());
    }
}
