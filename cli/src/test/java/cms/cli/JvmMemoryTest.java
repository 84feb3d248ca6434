package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The heap in use read from jcmd's GC.heap_info, as G1 (the JVM's default collector here) prints it. */
class JvmMemoryTest {

    @Test
    void readsTheHeapsUsedFigureNotMetaspaces() {
        String g1 = """
                12345:
                 garbage-first heap   total 1048576K, used 53248K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 1 young (1024K), 0 survivors (0K)
                 Metaspace       used 61234K, committed 61888K, reserved 1114112K
                """;
        assertEquals(53248, JvmMemory.usedKb(g1));
        assertEquals(-1, JvmMemory.usedKb("12345:\nnothing here\n"));
    }
}
