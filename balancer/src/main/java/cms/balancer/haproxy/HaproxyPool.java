package cms.balancer.haproxy;

import cms.balancer.BackendPool;
import cms.balancer.PoolException;
import cms.balancer.PoolSpec;
import cms.balancer.PoolStats;
import cms.balancer.model.Slot;
import cms.balancer.model.SlotStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod's HAProxy process: its directory (configuration, admin socket, pid file, log), starting it
 * or attaching to the one already running there (a restarted balancer keeps serving), a seamless
 * reload ({@code -sf}) when the configuration changes, and the runtime commands for its slots.
 */
final class HaproxyPool implements BackendPool {

    private static final Logger LOG = LoggerFactory.getLogger(HaproxyPool.class);

    private final String binary;
    private final Path dir;
    private final HaproxySocket socket;
    private final Duration serverTimeout;
    private final HaproxyServerState state;
    private PoolSpec spec;
    private volatile boolean answering;
    private volatile Long pid;

    HaproxyPool(String binary, Path dir, Duration serverTimeout) {
        this.binary = binary;
        this.serverTimeout = serverTimeout;
        this.dir = dir.toAbsolutePath();
        this.socket = new HaproxySocket(this.dir.resolve("admin.sock"));
        this.state = new HaproxyServerState(this.dir);
    }

    private String backend() {
        return "be_" + spec.pod();
    }

    /**
     * Runs HAProxy with this spec: attach, start, or reload when the configuration changed. Called on
     * every tick, so it does nothing while the spec is the one in force, its process is alive and the
     * admin socket last answered ({@link #command} notices when it stops answering). A HAProxy that died
     * (killed, crashed) is started again, with the servers it had.
     */
    void ensure(PoolSpec wanted) throws PoolException {
        Long gone = pid != null && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? pid : null;
        if (answering && wanted.equals(spec) && gone == null) {
            return;
        }
        if (gone != null) {
            LOG.warn("pod={} HAProxy (pid {}) is gone: starting it again with the servers it had", spec.pod(), gone);
            pid = null;
            answering = false;
        }
        String config = HaproxyConfig.render(wanted, dir, serverTimeout);
        Path cfg = dir.resolve("haproxy.cfg");
        try {
            Files.createDirectories(dir);
            boolean same = Files.exists(cfg) && Files.readString(cfg).equals(config);
            boolean running = socket.answers();
            spec = wanted;
            if (same && running) {
                pid = pid().orElse(null);
            } else {
                Files.writeString(cfg, config);
                state.prepare(running ? Optional.of(socket.send("show servers state " + backend()))
                        : Optional.empty());
                start(cfg, running ? pid() : Optional.empty());
            }
            answering = true;
        } catch (IOException e) {
            throw new PoolException("pod " + wanted.pod() + ": cannot write HAProxy's files in " + dir + ": " + e, e);
        }
    }


    private void start(Path cfg, Optional<Long> old) throws PoolException, IOException {
        List<String> cmd = new ArrayList<>(List.of(binary, "-f", cfg.toString(), "-db"));
        old.ifPresent(pid -> cmd.addAll(List.of("-sf", String.valueOf(pid))));
        Path log = dir.resolve("haproxy.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                    throw new PoolException("pod " + spec.pod() + ": HAProxy exited with code " + p.exitValue() + ": "
                            + lastAlert(log));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PoolException("interrupted while HAProxy started", e);
            }
            if (socket.answers() && pid().map(x -> x == p.pid()).orElse(false)) {
                pid = p.pid();
                LOG.info("pod={} HAProxy {} (pid {}) on {}:{}", spec.pod(), old.isPresent() ? "reloaded" : "started",
                        p.pid(), spec.bindAddress(), spec.port());
                return;
            }
        }
        p.destroy();
        throw new PoolException("pod " + spec.pod() + ": HAProxy did not open its admin socket within 10 s");
    }

    private static String lastAlert(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        String cause = null;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.contains("[ALERT]") && !line.contains("Fatal errors found") && !line.contains("Error(s) found")) {
                cause = line.replaceFirst("^.*\\[ALERT\\]\\s*\\(\\d+\\)\\s*:\\s*", "");
                String pid = line.replaceFirst("^.*\\[ALERT\\]\\s*\\((\\d+)\\).*$", "$1");
                boolean earlierOfSameRun = i > 0 && lines.get(i - 1).contains("(" + pid + ")")
                        && lines.get(i - 1).contains("[ALERT]");
                if (!earlierOfSameRun) {
                    return cause;
                }
            }
        }
        return cause != null ? cause : lines.isEmpty() ? "no output" : lines.get(lines.size() - 1);
    }

    /** Stops this pod's HAProxy gracefully and removes its directory. */
    @Override
    public void stop() {
        pid().flatMap(ProcessHandle::of).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("pod={} balancer files not removed: {}", spec == null ? dir : spec.pod(), e.toString());
        }
    }

    private List<Map<String, String>> stat() throws PoolException {
        String csv = command("show stat -1 -1 -1");
        List<Map<String, String>> rows = new ArrayList<>();
        String[] header = null;
        for (String line : csv.split("\n")) {
            if (line.startsWith("# ")) {
                header = line.substring(2).split(",", -1);
            } else if (header != null && !line.isBlank()) {
                String[] f = line.split(",", -1);
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < header.length && i < f.length; i++) {
                    row.put(header[i], f[i]);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * Slots from {@code show servers state} (admin state bits: 0x01/0x02/0x20/0x40 maintenance,
     * 0x08/0x10 drain; operational state 2 = running) and sessions from {@code show stat}. The bit 0x04
     * (disabled in the configuration) stays set on a slot of the template after {@code state ready}, so
     * it does not count.
     */
    @Override
    public List<Slot> slots() throws PoolException {
        Map<String, Map<String, String>> stats = new HashMap<>();
        for (Map<String, String> r : stat()) {
            if (backend().equals(r.get("pxname"))) {
                stats.put(r.get("svname"), r);
            }
        }
        List<Slot> out = new ArrayList<>();
        String servers = command("show servers state " + backend());
        state.seen(servers);
        for (String line : servers.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (line.startsWith("#") || f.length < 19 || !f[1].equals(backend()) || f[3].equals(HaproxyConfig.ACTIVATOR)) {
                continue;
            }
            int admin = Integer.parseInt(f[6]);
            Slot.Admin state = (admin & 0x63) != 0 ? Slot.Admin.MAINT : (admin & 0x18) != 0 ? Slot.Admin.DRAIN
                    : Slot.Admin.READY;
            Map<String, String> st = stats.getOrDefault(f[3], Map.of());
            out.add(new Slot(f[3], f[4], Integer.parseInt(f[18]), state, f[5].equals("2"), Integer.parseInt(f[7]),
                    num(st, "scur"), num(st, "qcur")));
        }
        return out;
    }

    /** The pid of the HAProxy answering on this pool's socket. */
    private Optional<Long> pid() {
        try {
            for (String line : socket.send("show info").split("\n")) {
                if (line.startsWith("Pid: ")) {
                    return Optional.of(Long.parseLong(line.substring(5).trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public PoolStats stats() throws PoolException {
        long requests = 0;
        long errors = 0;
        int sessions = 0;
        int queued = 0;
        Double mean = null;
        List<PoolStats.ServerStats> servers = new ArrayList<>();
        for (Map<String, String> r : stat()) {
            String sv = r.get("svname");
            if (sv.equals("FRONTEND") && ("fe_" + spec.pod()).equals(r.get("pxname"))) {
                requests = lnum(r, "req_tot");
                errors += lnum(r, "ereq");
            } else if (backend().equals(r.get("pxname")) && sv.equals("BACKEND")) {
                sessions = num(r, "scur");
                queued = num(r, "qcur");
                mean = (double) num(r, "ttime");
                errors += lnum(r, "econ") + lnum(r, "eresp") + lnum(r, "hrsp_5xx");
            } else if (backend().equals(r.get("pxname")) && !r.getOrDefault("status", "").startsWith("MAINT")
                    && !sv.equals(HaproxyConfig.ACTIVATOR)) {
                long responses = lnum(r, "hrsp_1xx") + lnum(r, "hrsp_2xx") + lnum(r, "hrsp_3xx") + lnum(r, "hrsp_4xx")
                        + lnum(r, "hrsp_5xx") + lnum(r, "hrsp_other");
                servers.add(new PoolStats.ServerStats(sv, r.get("addr"), r.get("status"), responses,
                        lnum(r, "econ") + lnum(r, "eresp") + lnum(r, "hrsp_5xx"), num(r, "scur"), num(r, "qcur"),
                        num(r, "ttime")));
            }
        }
        return new PoolStats(requests, errors, sessions, queued, mean, null, null, null, servers);
    }

    private static int num(Map<String, String> r, String key) {
        return (int) lnum(r, key);
    }

    private static long lnum(Map<String, String> r, String key) {
        String v = r.get(key);
        return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }

    @Override
    public void apply(SlotStep step) throws PoolException {
        String s = backend() + "/";
        if (step instanceof SlotStep.Assign a) {
            String srv = s + a.slot();
            command("set server " + srv + " addr " + a.address() + " port " + a.port() + "; set server " + srv
                    + " weight 0; set server " + srv + " state ready; set server " + srv + " health down");
        } else if (step instanceof SlotStep.Promote p) {
            command("set server " + s + p.slot() + " weight 1");
        } else if (step instanceof SlotStep.Ready r) {
            command("set server " + s + r.slot() + " state ready");
        } else if (step instanceof SlotStep.Drain d) {
            command("set server " + s + d.slot() + " state drain");
        } else if (step instanceof SlotStep.Free f) {
            command("set server " + s + f.slot() + " state maint");
        }
    }

    private String command(String line) throws PoolException {
        try {
            String answer = socket.send(line);
            if (answer.contains("No such") || answer.contains("Unknown command") || answer.contains("Require")) {
                throw new PoolException("pod " + spec.pod() + ": HAProxy refused '" + line + "': " + answer.strip());
            }
            return answer;
        } catch (IOException e) {
            answering = false;
            throw new PoolException("pod " + spec.pod() + ": HAProxy's admin socket does not answer: " + e, e);
        }
    }
}
