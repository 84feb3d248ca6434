package cms.balancer.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a HAProxy about to start finds in its server-state file. */
class HaproxyServerStateTest {

    private static final String SEEN = "1\n# be_id be_name srv_id srv_name ...\n3 be_web 1 s1 127.0.0.1 2 4 1 1\n";
    private static final String RUNNING = "1\n# be_id be_name srv_id srv_name ...\n3 be_web 1 s1 127.0.0.1 2 8 1 1\n";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("servers.state");
    }

    @Test
    void aFirstStartTrustsNoFileLeftByAnEarlierRun() throws Exception {
        Files.writeString(file(), SEEN);
        new HaproxyServerState(dir).prepare(Optional.empty());
        assertFalse(Files.exists(file()));
    }

    @Test
    void aStartAfterHaproxyDiedGetsTheServersLastSeen() throws Exception {
        HaproxyServerState state = new HaproxyServerState(dir);
        state.seen(SEEN);
        state.prepare(Optional.empty());
        assertEquals(SEEN, Files.readString(file()));
    }

    @Test
    void aReloadGetsTheStateOfTheRunningHaproxyUnlessItsAnswerIsNotAState() throws Exception {
        HaproxyServerState state = new HaproxyServerState(dir);
        state.seen(SEEN);
        state.prepare(Optional.of(RUNNING));
        assertEquals(RUNNING, Files.readString(file()));
        state.prepare(Optional.of("Unknown command\n"));
        assertEquals(SEEN, Files.readString(file()));
    }

    @Test
    void theActivatorsServerIsLeftAsConfiguredItsPortMayHaveChanged() throws Exception {
        HaproxyServerState state = new HaproxyServerState(dir);
        state.prepare(Optional.of(RUNNING + "3 be_web 6 activator 127.0.0.1 2 0 1 1\n"));
        assertEquals(RUNNING, Files.readString(file()));
    }
}
