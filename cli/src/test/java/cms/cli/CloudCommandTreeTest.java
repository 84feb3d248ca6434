package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A run of {@code cloud} builds only the command it names, and answers as the whole tree would. */
class CloudCommandTreeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "pod ls|pod",
        "--url http://x:1 node ls p|node",
        "--json --token t job wait j|job",
        "--url=http://x:1 host ls|host",
        "-h|-",
        "--url http://x:1|-",
        "-- pod ls|-",
    })
    void theCommandWordIsTheFirstThatIsNoOptionNorItsValue(String args, String word) {
        assertEquals(word, CloudCommandTree.commandWord(args.split(" ")));
    }

    @Test
    void noArgumentsNoWord() {
        assertNull(CloudCommandTree.commandWord(new String[0]));
    }

    @Test
    void aRunBuildsTheCommandItNamesOrAllForHelpAndWordsItDoesNotKnow() {
        assertEquals(List.of(CloudCommands.PodCommand.class), CloudCommandTree.forArgs(new String[]{"pod", "ls"}));
        assertEquals(CloudCommandTree.names().size(), CloudCommandTree.forArgs(new String[]{"help", "pod"}).size());
        assertEquals(CloudCommandTree.names().size(), CloudCommandTree.forArgs(new String[]{"podd"}).size());
        assertEquals(CloudCommandTree.names().size(), CloudCommandTree.forArgs(new String[]{"--json"}).size());
    }

    /** The names by which the tree finds a command are the names picocli gives them. */
    @Test
    void eachNameIsItsCommandsOwn() {
        CommandLine all = CloudCommand.commandLine(System.out, System.err, Map.of());
        assertEquals(new ArrayList<>(CloudCommandTree.names()), new ArrayList<>(all.getSubcommands().keySet()));
    }

    /** Exit code, then what a run printed (out and err, in order), built lean or whole. */
    private static String run(boolean lean, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandLine cl = lean ? CloudCommand.commandLine(print, print, Map.of(), args)
                : CloudCommand.commandLine(print, print, Map.of());
        int exit = cl.execute(args);
        return exit + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource({"pod register --help", "job submit --help", "--url http://127.0.0.1:1 elasticity enable p 1",
        "node ls a b", "host --help", "pod lss"})
    void aLeanTreeAnswersAsTheWholeOne(String line) {
        String[] args = line.split(" ");
        String whole = run(false, args);
        assertEquals(whole, run(true, args));
        assertTrue(whole.length() > 10, whole);
    }
}
