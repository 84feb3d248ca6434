package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An engine that ended but was not reaped by its parent (test.sh starts dockerd and then waits for Maven, so a
 * killed engine stays a zombie until the script ends) must count as ended: CI waited 55 s for one and failed.
 */
class OwnDockerEngineTest {

    @Test
    void aProcessThatEndedButWasNotReapedCountsAsEnded() throws Exception {
        // the shell starts a short child, prints its pid, then becomes a sleep that never reaps it
        Process parent = new ProcessBuilder("bash", "-c", "sleep 0.1 & echo $!; exec sleep 30").start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            long child = Long.parseLong(line.strip());
            assertTrue(Poll.within(Duration.ofSeconds(10), Duration.ofMillis(20), () -> OwnDockerEngine.zombie(child)),
                    "the unreaped child became a zombie");
            assertEquals(true, ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
                    "the JDK calls a zombie alive (why OwnDockerEngine asks /proc)");
            assertFalse(OwnDockerEngine.zombie(parent.pid()), "a running process is no zombie");
            assertFalse(OwnDockerEngine.zombie(Long.MAX_VALUE), "no such process");
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }
}
