package cms.balancer.haproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One pod's HAProxy server-state file ({@code server-state-file}, loaded at start): the slots as they
 * were, so that a HAProxy started after one that died, or reloaded, serves the same nodes at once
 * instead of after their health checks. It holds what this balancer saw, never what an earlier run
 * left on disk: a first start begins with every slot in maintenance, as configured. The activator's backup
 * server is left out: it is always as configured.
 */
final class HaproxyServerState {

    private final Path file;
    private volatile String lastSeen;

    HaproxyServerState(Path dir) {
        this.file = file(dir);
    }

    static Path file(Path dir) {
        return dir.resolve("servers.state");
    }

    /** The answer of a {@code show servers state} that HAProxy gave just now. */
    void seen(String showServersState) {
        lastSeen = showServersState;
    }

    /**
     * Before a start: the state of the HAProxy still running (a reload), else the last one seen (it
     * died), else none.
     */
    void prepare(Optional<String> fromRunning) throws IOException {
        String state = fromRunning.filter(s -> s.startsWith("1\n")).orElse(lastSeen);
        if (state == null) {
            Files.deleteIfExists(file);
        } else {
            Files.writeString(file, withoutActivator(state));
        }
    }

    /** The activator's server is as configured (a restarted balancer's activator may listen on another port). */
    static String withoutActivator(String state) {
        StringBuilder out = new StringBuilder();
        for (String line : state.split("\n", -1)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[3].equals(HaproxyConfig.ACTIVATOR)) {
                out.append(line).append('\n');
            }
        }
        return out.substring(0, out.length() - 1);
    }
}
