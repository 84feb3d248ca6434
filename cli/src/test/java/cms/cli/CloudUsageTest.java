package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Usage errors of the {@code cloud} client: found before any request is sent, one line, exit code 2. */
class CloudUsageTest {

    private record Run(int exit, String out, String err) {
    }

    private static Run cloud(String url, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] full = new String[args.length + 2];
        full[0] = "--url";
        full[1] = url;
        System.arraycopy(args, 0, full, 2, args.length);
        int exit = CloudCommand.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A URL where nothing listens: a usage error must be reported before any connection is tried. */
    private static String deadUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "register|Missing required parameters: 'NODE', 'POD'",
        "register n1|Missing required parameter: 'POD'",
        "rm n1|Missing required parameter: 'POD'",
        "launch|Missing required parameter: 'POD'",
        "pause|Missing required parameter: 'POD'",
        "resume|Missing required parameter: 'POD'",
        "pod register|Missing required parameter: 'POD'",
        "pod rm|Missing required parameter: 'POD'",
        "elasticity enable light 1|Missing required parameter: 'MAX'",
        "elasticity enable light one 3|'one' is not an int",
        "elasticity enable light 1 3 --scale-in-window soon|'soon' is not an int",
        "elasticity disable|Missing required parameter: 'POD'",
        "elasticity lower_threshold light|Missing required parameter: 'V'",
        "elasticity upper_threshold light high|'high' is not a double",
        "pod register p --node-limit many|'many' is not an int",
        "launch light extra|Unmatched argument",
        "frobnicate|Unmatched argument",
        "job|Missing required subcommand",
        "job submit|Missing required parameter: 'POD'",
        "job status|Missing required parameter: 'ID'",
        "host cordon|Missing required parameter: 'HOST'",
        "host uncordon|Missing required parameter: 'HOST'",
        "host drain|Missing required parameter: 'HOST'",
        "host drain h1 h2|Unmatched argument",
        "host frobnicate|Unmatched argument",
        "job wait|Missing required parameter: 'ID'",
        "job abort|Missing required parameter: 'ID'",
        "job status j1 j2|Unmatched argument",
        "job frobnicate|Unmatched argument",
        "job submit light --timeout-seconds soon|'soon' is not an int",
        "job submit light --wait later|'later' is not an int",
        "job ls --limit many|'many' is not an int",
        "job wait j1 --timeout x|'x' is not an int",
        "job wait j1 --timeout -1|--timeout must be 0 or more seconds",
        "job submit light --wait -1|--wait must be 0 or more seconds",
        "job submit light --payload {broken|--payload: not JSON",
        "job submit light --payload @/no/such/file.json|--payload: not JSON (or an unreadable @FILE)",
    })
    void usageErrorsAreOneLineWithExitCode2(String args, String reason) throws Exception {
        Run r = cloud(deadUrl(), args.split(" "));
        assertEquals(CloudCommand.USAGE, r.exit(), r.err());
        assertTrue(r.err().contains(reason), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("cloud: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnreachableServerIsExitCode3WithTheUrl() throws Exception {
        String url = deadUrl();
        Run r = cloud(url, "pod", "ls");
        assertEquals(CloudCommand.UNAVAILABLE, r.exit());
        assertEquals("cloud: cannot reach the CMS API at " + url + " (is `cms dev` running?)", r.err().strip());
    }

    @Test
    void urlAndJsonMayComeAfterTheSubcommand() throws Exception {
        String url = deadUrl();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CloudCommand.run(new String[]{"pod", "ls", "--json", "--url", url + "/api"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        assertEquals(CloudCommand.UNAVAILABLE, exit, err.toString(StandardCharsets.UTF_8));
        assertEquals("cloud: cannot reach the CMS API at " + url + " (is `cms dev` running?)",
                err.toString(StandardCharsets.UTF_8).strip(), "the URL given after the subcommand, /api dropped");
    }

    @Test
    void everyCommandHasItsOwnHelp() throws Exception {
        Run r = cloud(deadUrl(), "pod", "register", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("--frontend-port") && r.out().contains("--workload"), r.out());
    }

    @Test
    void helpListsTheOriginalCommands() throws Exception {
        Run r = cloud(deadUrl(), "help");
        assertEquals(0, r.exit());
        for (String word : new String[]{"init", "pod", "register", "rm", "launch", "pause", "resume", "node",
            "elasticity"}) {
            assertTrue(r.out().contains("  " + word), () -> word + " missing from: " + r.out());
        }
    }

    @Test
    void jobCommandsHaveTheirHelp() throws Exception {
        Run r = cloud(deadUrl(), "help");
        assertTrue(r.out().contains("  job"), r.out());
        Run job = cloud(deadUrl(), "job", "--help");
        assertEquals(0, job.exit());
        for (String word : new String[]{"submit", "status", "ls", "wait", "abort"}) {
            assertTrue(job.out().contains("  " + word), () -> word + " missing from: " + job.out());
        }
        Run submit = cloud(deadUrl(), "job", "submit", "--help");
        assertEquals(0, submit.exit());
        for (String option : new String[]{"POD", "--payload", "--id", "--timeout-seconds", "--wait"}) {
            assertTrue(submit.out().contains(option), () -> option + " missing from: " + submit.out());
        }
    }
}
