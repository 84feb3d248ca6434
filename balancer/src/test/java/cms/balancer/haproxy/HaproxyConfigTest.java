package cms.balancer.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import cms.balancer.PoolSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base configuration of one pod's HAProxy: its important lines, and HAProxy's own check of it. */
class HaproxyConfigTest {

    private static final PoolSpec WEB = new PoolSpec("web", "127.0.0.1", 18080, "/health", 5);
    private static final Duration ORDINARY = Duration.ofSeconds(60);
    /** A pod that scales from zero: its spec names the activator. */
    private static final PoolSpec ZERO = new PoolSpec("zero", "127.0.0.1", 18081, "/health", 5, "127.0.0.1:41234");

    @TempDir
    Path dir;

    private List<String> lines(PoolSpec spec) {
        return HaproxyConfig.render(spec, dir, ORDINARY).lines().toList();
    }

    private static String lineStarting(List<String> lines, String start) {
        return lines.stream().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in " + lines));
    }

    @Test
    void adminSocketIsInThePoolsDirectory() {
        assertTrue(lines(WEB).contains("    stats socket \"" + dir.resolve("admin.sock") + "\" mode 600 level admin"),
                "quoted, so that a directory with a space still works");
    }

    @Test
    void serversStartAsTheStateFileInThePoolsDirectorySaysWhenThereIsOne() {
        List<String> lines = lines(WEB);
        assertTrue(lines.contains("    server-state-file \"" + dir.resolve("servers.state") + "\""));
        assertTrue(lines.indexOf("    load-server-state-from-file global") > lines.indexOf("defaults"));
    }

    @Test
    void frontendListensOnTheSpecsAddressAndPort() {
        List<String> lines = lines(WEB);
        assertTrue(lines.contains("frontend fe_web"));
        assertTrue(lines.contains("    bind 127.0.0.1:18080"));
        assertTrue(lines.contains("    default_backend be_web"));
        assertTrue(lines(new PoolSpec("api", "0.0.0.0", 20001, "/health", 5)).contains("    bind 0.0.0.0:20001"));
    }

    @Test
    void answers503NamingThePodWhenNoServerIsUsable() throws Exception {
        String line = lineStarting(lines(WEB), "    http-request return status 503");
        assertTrue(line.contains("content-type application/json"), line);
        assertTrue(line.endsWith("' if { nbsrv(be_web) eq 0 }"), line);
        String body = line.substring(line.indexOf("string '") + "string '".length(), line.lastIndexOf("' if"));
        JsonNode json = new ObjectMapper().readTree(body);
        assertTrue(json.get("error").asText().startsWith("pod web has no node in service"), body);
    }

    @Test
    void onlyAPodThatScalesFromZeroHasTheActivatorAsItsBackupServer() {
        List<String> zero = lines(ZERO);
        assertTrue(zero.contains("    server activator 127.0.0.1:41234 backup no-check"), String.join("\n", zero));
        assertTrue(zero.indexOf("    server activator 127.0.0.1:41234 backup no-check")
                > zero.indexOf("    server-template s 1-5 127.0.0.1:1 disabled"), "in the pod's backend");
        assertTrue(zero.contains("    http-request set-header X-Cms-Pod zero"), "the activator learns the pod");
        assertEquals("    retry-on conn-failure empty-response junk-response response-timeout 0rtt-rejected 500 502 504",
                zero.get(zero.size() - 2), "a 503 from the activator after its limit is not waited for again");
        for (PoolSpec plain : List.of(WEB, new PoolSpec("zero", "127.0.0.1", 18081, "/health", 5, null))) {
            List<String> lines = lines(plain);
            assertTrue(lines.stream().noneMatch(l -> l.contains("backup") || l.contains("X-Cms-Pod")),
                    String.join("\n", lines));
            assertEquals(1, lines.stream().filter(l -> l.contains("retry-on")).count());
        }
        List<String> base = lines(WEB);
        assertEquals(base.subList(1, base.size()), lines(new PoolSpec("web", "127.0.0.1", 18080, "/health", 5, "1.2.3.4:5"))
                .subList(1, base.size()), "the rest of the configuration is the same");
    }

    @Test
    void healthChecksUseThePodsHealthPath() {
        assertTrue(lines(WEB).contains("    option httpchk GET /health"));
        assertTrue(lines(WEB).contains("    http-check expect status 200"));
        assertTrue(lines(new PoolSpec("web", "127.0.0.1", 18080, "/status/ok", 5))
                .contains("    option httpchk GET /status/ok"));
    }

    @Test
    void backendDeclaresOneDisabledSlotPerAllowedNode() {
        List<String> lines = lines(WEB);
        assertTrue(lines.contains("backend be_web"));
        assertTrue(lines.contains("    server-template s 1-5 127.0.0.1:1 disabled"));
        assertTrue(lineStarting(lines, "    default-server ").contains(" check "));
        assertTrue(lines(new PoolSpec("web", "127.0.0.1", 18080, "/health", 20))
                .contains("    server-template s 1-20 127.0.0.1:1 disabled"));
    }

    @Test
    void failedRequestsAreRetriedElsewhereButOnlyWhenIdempotent() {
        List<String> lines = lines(WEB);
        assertTrue(lines.contains("    retries 3"));
        assertTrue(lines.contains("    option redispatch 1"));
        assertTrue(lines.contains("    retry-on all-retryable-errors"));
        assertTrue(lines.contains("    http-request disable-l7-retry if !METH_GET !METH_HEAD"));
        assertTrue(lines.indexOf("    http-request disable-l7-retry if !METH_GET !METH_HEAD")
                > lines.indexOf("backend be_web"), "the rule belongs to the backend");
    }

    @Test
    void theServerTimeoutIsTheOrdinaryOneUnlessAJobBringsItsLimitUpToAnHour() {
        assertTrue(lines(WEB).contains("    timeout server 60000ms"));
        assertTrue(HaproxyConfig.render(WEB, dir, Duration.ofMillis(2500)).lines().toList()
                .contains("    timeout server 2500ms"));
        List<String> lines = lines(WEB);
        int capped = lines.indexOf("    http-request set-timeout server 3600s if { req.hdr_val(X-CMS-Timeout-Seconds)"
                + " gt 3600 }");
        int followed = lines.indexOf("    http-request set-timeout server req.hdr_val(X-CMS-Timeout-Seconds),mul(1000)"
                + " if { req.hdr_val(X-CMS-Timeout-Seconds) 1:3600 }");
        assertTrue(capped > lines.indexOf("backend be_web") && followed > capped, String.join("\n", lines));
        assertEquals(2, lines.stream().filter(l -> l.contains("set-timeout")).count(),
                "no other way to lengthen a request's wait");
    }

    @Test
    void sectionsComeInOrderAndTheConfigEndsWithANewline() {
        String config = HaproxyConfig.render(WEB, dir, ORDINARY);
        List<String> lines = config.lines().toList();
        int global = lines.indexOf("global");
        int defaults = lines.indexOf("defaults");
        int frontend = lines.indexOf("frontend fe_web");
        int backend = lines.indexOf("backend be_web");
        assertTrue(global >= 0 && global < defaults && defaults < frontend && frontend < backend, config);
        assertTrue(config.endsWith("\n"));
        assertEquals(config, HaproxyConfig.render(WEB, dir, ORDINARY), "the same spec renders the same text");
    }

    @Test
    void haproxyAcceptsTheConfiguration() throws Exception {
        Optional<Path> haproxy = onPath("haproxy");
        if (haproxy.isEmpty() && Boolean.getBoolean("cms.requireRealParts")) {
            fail("haproxy is not on PATH and cms.requireRealParts is set");
        }
        Assumptions.assumeTrue(haproxy.isPresent(), "haproxy is not on PATH");
        for (PoolSpec spec : List.of(WEB, new PoolSpec("heavy-pod", "0.0.0.0", 20002, "/status/ok", 20), ZERO)) {
            Path cfg = dir.resolve(spec.pod() + ".cfg");
            Files.writeString(cfg, HaproxyConfig.render(spec, dir, ORDINARY));
            Process p = new ProcessBuilder(haproxy.get().toString(), "-c", "-f", cfg.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "haproxy -c did not finish");
            assertEquals(0, p.exitValue(), out);
            assertFalse(out.contains("[ALERT]"), out);
        }
    }

    private static Optional<Path> onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, binary))
                .filter(Files::isExecutable).findFirst();
    }
}
