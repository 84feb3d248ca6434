package cms.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads one pod's HAProxy through its admin socket, as an operator would, to check what it does. */
final class HaproxyAdmin {

    private final Path socket;
    private final String backend;

    HaproxyAdmin(Path balancerDir, String pod) {
        this.socket = balancerDir.resolve("haproxy").resolve(pod).resolve("admin.sock").toAbsolutePath();
        this.backend = "be_" + pod;
    }

    String send(String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(65536);
            while (ch.read(in) >= 0) {
                out.write(in.array(), 0, in.position());
                in.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    long pid() throws IOException {
        return Long.parseLong(send("show info").lines().filter(l -> l.startsWith("Pid: ")).findFirst()
                .orElseThrow().substring(5).trim());
    }

    /** Server slots not in maintenance, as "port:opstate" (opstate 2 = up). */
    List<String> activeSlots() throws IOException {
        return active().stream().map(f -> f[18] + ":" + f[5]).toList();
    }

    /** The addresses that server slots not in maintenance point at (draining ones too). */
    List<String> activeAddresses() throws IOException {
        return active().stream().map(f -> f[4]).toList();
    }

    /** The fields of each server slot not in maintenance ({@code show servers state}, format 1). */
    private List<String[]> active() throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String line : send("show servers state " + backend).lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 18 && f[1].equals(backend) && (Integer.parseInt(f[6]) & 0x63) == 0) {
                out.add(f);
            }
        }
        return out;
    }

    /** Whether a slot pointing at this port takes requests (ready, up, and with a weight). */
    boolean inRotation(int port) throws IOException {
        for (String line : send("show servers state " + backend).lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 18 && f[1].equals(backend) && f[18].equals(String.valueOf(port))
                    && (Integer.parseInt(f[6]) & 0x6b) == 0 && f[5].equals("2") && Integer.parseInt(f[7]) > 0) {
                return true;
            }
        }
        return false;
    }

    void kill() throws IOException {
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
}
