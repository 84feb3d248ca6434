package cms.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The names test hosts make carry their JVM's pid: only those of a JVM that is gone count as leftovers. */
class TestHostsTest {

    @Test
    void onlyNamesOfAGoneJvmAreLeftovers() throws Exception {
        String mine = Long.toString(ProcessHandle.current().pid(), 36);
        assertFalse(TestHosts.leftover("cmt" + mine + "-h1"), "this JVM's own");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertTrue(TestHosts.leftover("cmt" + Long.toString(p.pid(), 36) + "-br"), "a gone process's");
        assertFalse(TestHosts.leftover("eth0"));
        assertFalse(TestHosts.leftover("cmt-x"));
        assertFalse(TestHosts.leftover("cmtnotbase36!-h1"));
    }
}
