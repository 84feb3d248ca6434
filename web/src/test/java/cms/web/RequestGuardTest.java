package cms.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestGuardTest {

    private final RequestGuard loopback = RequestGuard.forBinding("127.0.0.1", Set.of());

    private static int status(Optional<RequestGuard.Refusal> r) {
        return r.map(RequestGuard.Refusal::status).orElse(200);
    }

    @Test
    void programsWithoutOriginAndTheDashboardItselfPass() {
        assertEquals(200, status(loopback.check("POST", "127.0.0.1:8080", null, "application/json")));
        assertEquals(200, status(loopback.check("POST", "127.0.0.1:8080", null, null)), "no body, no type");
        assertEquals(200, status(loopback.check("POST", "127.0.0.1:8080", "http://127.0.0.1:8080",
                "application/json; charset=UTF-8")), "same origin");
        assertEquals(200, status(loopback.check("DELETE", "localhost:8080", "http://localhost:8080", null)));
        assertEquals(200, status(loopback.check("GET", "127.0.0.1:8080", "http://evil.example", "text/plain")),
                "reads are not refused for their origin (the browser keeps the answer from the other site)");
    }

    @Test
    void anotherSitesPageIsRefusedWhateverItSends() {
        Optional<RequestGuard.Refusal> r = loopback.check("POST", "127.0.0.1:8080", "http://evil.example", null);
        assertEquals(403, status(r));
        assertEquals("cross-site request refused: Origin http://evil.example is not this API's own", r.get().message());
        assertEquals(403, status(loopback.check("POST", "127.0.0.1:8080", "http://127.0.0.1:9999", "application/json")),
                "another port is another origin");
        assertEquals(403, status(loopback.check("PUT", "127.0.0.1:8080", "null", "application/json")),
                "a sandboxed page's opaque origin");
        assertEquals(200, status(RequestGuard.forBinding("0.0.0.0", Set.of()).check("POST", "cms.example.org", "https://cms.example.org", null)),
                "behind a TLS proxy that passes Host on, the page's origin is the proxy's: the same host and port");
        assertEquals(403, status(loopback.check("POST", "127.0.0.1:8080", "file://", null)), "not a web origin");
    }

    @Test
    void formBodiesAreRefusedWith415NamingTheHeader() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "text/plain;charset=UTF-8"}) {
            Optional<RequestGuard.Refusal> r = loopback.check("POST", "127.0.0.1:8080", null, type);
            assertEquals(415, status(r), type);
            assertTrue(r.get().message().startsWith("Content-Type: must be application/json"), r.get().message());
        }
    }

    @Test
    void aRebindingNameIsRefusedOnALoopbackApi() {
        Optional<RequestGuard.Refusal> r = loopback.check("GET", "attacker.example:8080", null, null);
        assertEquals(403, status(r));
        assertTrue(r.get().message().contains("attacker.example:8080"), r.get().message());
        assertEquals(200, status(loopback.check("GET", "[::1]:8080", null, null)));
        assertEquals(200, status(loopback.check("GET", "LOCALHOST:8080", null, null)));
        RequestGuard named = RequestGuard.forBinding("10.0.0.1", Set.of("cms.example.org"));
        assertEquals(200, status(named.check("GET", "cms.example.org:8080", null, null)));
        assertEquals(200, status(named.check("GET", "10.0.0.1:8080", null, null)));
        assertEquals(403, status(named.check("GET", "other.example.org", null, null)));
        RequestGuard everywhere = RequestGuard.forBinding("0.0.0.0", Set.of());
        assertEquals(200, status(everywhere.check("GET", "anything.example", null, null)));
        assertEquals(403, status(everywhere.check("POST", "anything.example", "http://evil.example", null)));
    }

    @Test
    void allowedHostsAreNamesWithoutPorts() {
        Map<String, String> base = Map.of("CMS_KAFKA", "k:9092");
        Settings s = new Settings(Map.of("CMS_KAFKA", "k:9092", "CMS_WEB_ALLOWED_HOSTS", "cms.example.org, 10.0.0.7,[::1]"));
        assertEquals(Set.of("cms.example.org", "10.0.0.7", "[::1]"), WebConfig.from(s).allowedHosts());
        assertEquals(Set.of(), WebConfig.from(new Settings(base)).allowedHosts());
        for (String bad : new String[] {"cms.example.org:8080", "http://cms.example.org", "a b"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> WebConfig.from(new Settings(Map.of(
                    "CMS_KAFKA", "k:9092", "CMS_WEB_ALLOWED_HOSTS", bad))));
            assertTrue(e.getMessage().startsWith("CMS_WEB_ALLOWED_HOSTS: '"), e.getMessage());
        }
    }
}
