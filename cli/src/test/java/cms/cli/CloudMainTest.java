package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The {@code cloud} entry point as its script starts it, in a JVM of its own: a POST whose answer breaks off is
 * sent once and reported (the JDK would send it again, once, unless told otherwise; the operator may still tell it).
 */
class CloudMainTest {

    /** Reads each request to its end (headers, then Content-Length bytes), counts it and hangs up without answering. */
    private static Thread hangingUp(ServerSocket server, AtomicInteger requests) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    int length = 0;
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    in.skip(length);
                    requests.incrementAndGet();
                } catch (IOException e) {
                    return; // closed at the end of the test
                }
            }
        }, "hanging-up-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Process cloud(int port, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CloudMain.class.getName(),
                "--url", "http://127.0.0.1:" + port, "--token", "cms_x_y", "init"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CMS_CLIENT_CONFIG", "/nonexistent/cms-client.json");
        return pb.start();
    }

    private static int requestsSent(String... jvmOptions) throws Exception {
        AtomicInteger requests = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0)) {
            hangingUp(server, requests);
            Process p = cloud(server.getLocalPort(), jvmOptions);
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "cloud ended");
            assertEquals(CloudCommand.UNAVAILABLE, p.exitValue(), output);
            assertTrue(output.startsWith("cloud: request to http://127.0.0.1:" + server.getLocalPort() + " failed"),
                    output);
            return requests.get();
        }
    }

    @Test
    void aPostWhoseAnswerBrokeOffIsSentOnce() throws Exception {
        assertEquals(1, requestsSent());
    }

    @Test
    void theOperatorMayStillHaveTheJdkSendItAgain() throws Exception {
        assertEquals(2, requestsSent("-D" + CloudMain.RETRY_POST + "=true"));
    }
}
