package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code cloud completion bash|zsh}: a script that names every command, and that bash completes with. */
class CompletionCommandTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run cloud(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CloudCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every command and sub-command of the whole tree, as the {@code commands} list of its parent's function. */
    private static void assertNamesEvery(CommandLine command, String script) {
        String names = String.join(" ", command.getSubcommands().keySet());
        if (!names.isEmpty()) {
            assertTrue(script.contains("local commands=\"" + names + "\""), () -> command.getCommandSpec()
                    .qualifiedName() + ": " + names + " not listed");
        }
        command.getSubcommands().values().forEach(sub -> assertNamesEvery(sub, script));
    }

    @Test
    void theScriptNamesEveryCommand() {
        Run bash = cloud("completion", "bash");
        assertEquals(0, bash.exit(), bash.err());
        assertTrue(bash.out().startsWith("#!/usr/bin/env bash\n# bash: source <(cloud completion bash)"), bash.out());
        CommandLine all = CloudCommand.commandLine(System.out, System.err, Map.of());
        assertNamesEvery(all, bash.out());
        assertTrue(bash.out().contains("local commands=\"help init pod register rm launch pause resume node host "
                + "elasticity request job token auth completion\""), bash.out());
        assertTrue(bash.out().contains("complete -F _complete_cloud"), bash.out());
    }

    @Test
    void zshGetsTheSameScriptWhichTurnsOnItsBashCompletion() {
        Run zsh = cloud("completion", "zsh");
        assertEquals(0, zsh.exit(), zsh.err());
        assertTrue(zsh.out().startsWith("#!/usr/bin/env bash\n# zsh: source <(cloud completion zsh)"), zsh.out());
        assertTrue(zsh.out().contains("autoload -U +X bashcompinit && bashcompinit"), zsh.out());
        assertEquals(cloud("completion", "bash").out().lines().skip(2).toList(), zsh.out().lines().skip(2).toList());
    }

    @Test
    void anotherShellIsAUsageError() {
        Run fish = cloud("completion", "fish");
        assertEquals(CloudCommand.USAGE, fish.exit());
        assertEquals("cloud: SHELL: bash or zsh, not 'fish' (see: cloud help completion)", fish.err().strip());
        assertEquals("", fish.out());
    }

    /** bash, given the script, completes a word as a user's TAB would ask it to. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cloud po|pod",
        "'cloud pod '|register rm ls",
        "cloud elasticity en|enable",
        "'cloud completion '|bash zsh",
        "cloud job wait j1 --ti|--timeout",
        "cloud node ls light --wa|--watch",
    })
    void bashCompletesWithIt(String line, String expected, @TempDir Path dir) throws Exception {
        Path script = dir.resolve("cloud.bash");
        Files.writeString(script, cloud("completion", "bash").out());
        assertEquals(expected, complete(script, line));
    }

    private static String complete(Path script, String line) throws IOException, InterruptedException {
        String words = line.endsWith(" ") ? line + "''" : line;
        String program = "source " + script + "\nCOMP_LINE='" + line + "'; COMP_POINT=" + line.length()
                + "; COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                + "_complete_cloud\necho \"${COMPREPLY[*]}\"\n";
        // stderr aside: compopt, outside a completion bash runs itself, says so there
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(bash.waitFor(10, TimeUnit.SECONDS));
        return out;
    }
}
