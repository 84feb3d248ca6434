package cms.balancer.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** HAProxy's runtime API over its admin socket: one command line per connection, answer read to EOF. */
final class HaproxySocket {

    private final Path socket;

    HaproxySocket(Path socket) {
        this.socket = socket;
    }

    String send(String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (ch.read(in) >= 0) {
                in.flip();
                answer.write(in.array(), 0, in.limit());
                in.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    boolean answers() {
        try {
            return send("show info").contains("Name: HAProxy");
        } catch (IOException e) {
            return false;
        }
    }
}
