package cms.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of another JVM of this machine, for the benchmarks: its heap in use right after a full GC (what it
 * holds live: {@code jcmd PID GC.run}, then {@code GC.heap_info}) and its resident set ({@code VmRSS}).
 */
final class JvmMemory {

    private static final Pattern USED = Pattern.compile("heap\\s+total\\s+\\d+K, used (\\d+)K");

    private JvmMemory() {
    }

    /** MB of heap in use after a full collection; -1 when jcmd cannot tell. */
    static long heapAfterFullGcMb(long pid) {
        try {
            jcmd(pid, "GC.run");
            return usedKb(jcmd(pid, "GC.heap_info")) / 1024;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The heap's {@code used} figure of a {@code GC.heap_info} answer, in KB; -1 when it has none. */
    static long usedKb(String heapInfo) {
        Matcher m = USED.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Resident set of the process now, in MB; -1 when it is gone. */
    static long rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static String jcmd(long pid, String what) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        return ChaosCluster.exec(jcmd, String.valueOf(pid), what);
    }
}
