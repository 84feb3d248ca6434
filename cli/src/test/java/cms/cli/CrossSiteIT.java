package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The browser login (the URL {@code cms dev} prints sets an HttpOnly, SameSite=Strict cookie) and what a page of
 * another site, open in the logged-in operator's browser, tries of what issue 13 found possible: an HTML form
 * posting a {@code text/plain} body that parses as a pod's JSON (an image pod registered from anywhere), and
 * {@code fetch} calls in {@code no-cors} mode (no preflight) that pause a pod and register one. Every one is
 * refused (the form's answer, shown in its frame, says why) and nothing changes; the API's own dashboard
 * still pauses and resumes through the same routes.
 */
class CrossSiteIT {

    @Test
    void anotherSitesPageChangesNothingThroughTheBrowser() throws Exception {
        Browser.require();
        try (TestCluster cms = new TestCluster().withResourceManager().withWeb(Map.of());
             Browser browser = new Browser()) {
            JsonHttp api = cms.api();
            assertEquals(201, api.post("/api/init", null).status());

            // a browser that has not logged in is sent to the login page; the login URL logs it in
            browser.open(cms.apiUrl + "/pods/light");
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getCurrentUrl().contains("/login?next="));
            assertTrue(browser.driver.getPageSource().contains("API token"), "the login form");
            browser.open(cms.apiUrl + "/login?token=" + cms.token + "&next=/pods/light");
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.driver.getCurrentUrl().endsWith("/pods/light")
                    && browser.driver.findElement(By.id("pause")).isDisplayed());
            org.openqa.selenium.Cookie cookie = browser.driver.manage().getCookieNamed("cms_token");
            assertTrue(cookie != null && cookie.isHttpOnly(), "the login cookie is HttpOnly: " + cookie);
            assertEquals("Strict", cookie.getSameSite(), "the login cookie is SameSite=Strict");
            assertEquals(Boolean.TRUE, browser.driver.executeScript("return document.cookie.indexOf('cms_token') < 0"),
                    "no script of the page can read it");

            // the logged-in operator visits another site
            HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String page = attackPage(cms.apiUrl);
            evil.createContext("/", ex -> {
                byte[] body = page.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            evil.start();
            try {
                String evilUrl = "http://127.0.0.1:" + evil.getAddress().getPort() + "/";
                assertFalse(evilUrl.startsWith(cms.apiUrl), "another origin");
                browser.open(evilUrl);
                await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.TRUE.equals(
                        browser.driver.executeScript("return window.fetchesDone === true;")));
                // the form's answer, in its frame: the API refused it and said why
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    browser.driver.switchTo().defaultContent();
                    browser.driver.switchTo().frame("sink");
                    return browser.driver.findElement(By.tagName("body")).getText().contains("error");
                });
                String answer = browser.driver.findElement(By.tagName("body")).getText();
                browser.driver.switchTo().defaultContent();
                assertTrue(answer.contains("cross-site request refused"), answer);
            } finally {
                evil.stop(0);
            }
            assertEquals(404, api.get("/api/pods/evil").status(), "no pod registered by the form");
            assertEquals(404, api.get("/api/pods/evil2").status(), "no pod registered by fetch");
            assertFalse(api.get("/api/pods/light").data().path("paused").asBoolean(), "light not paused");

            // a request made with the cookie but without the dashboard's X-CMS-CSRF header is refused, even from
            // this site's own origin (what a form on an HTML page served here could send)
            browser.open(cms.apiUrl + "/events");
            assertEquals(403, ((Number) browser.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/api/pods/light/pause', {method: 'POST', headers: {'Content-Type': 'application/json'}})"
                    + ".then(r => done(r.status), e => done(-1));")).intValue());

            // the dashboard itself (same origin, logged in) still changes things through the same routes
            browser.open(cms.apiUrl + "/pods/light");
            await().atMost(Duration.ofSeconds(20)).until(() -> browser.driver.findElement(By.id("pause")).isDisplayed());
            browser.click("#pause");
            await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/pods/light").data().path("paused")
                    .asBoolean());
        }
    }

    /** A form that posts text/plain JSON into a frame, and two no-cors fetches; sets window.fetchesDone. */
    private static String attackPage(String api) {
        return """
                <!doctype html><html><body>
                <iframe name="sink" id="sink"></iframe>
                <form id="f" method="POST" enctype="text/plain" target="sink" action="%1$s/api/pods">
                  <input type="hidden" name='{"name":"evil","image":"busybox","cpu":0.1,"memory_mb":64,"x":"' value='"}'>
                </form>
                <script>
                  document.getElementById('f').submit();
                  Promise.allSettled([
                    fetch('%1$s/api/pods/light/pause', {method: 'POST', mode: 'no-cors'}),
                    fetch('%1$s/api/pods', {method: 'POST', mode: 'no-cors',
                        body: JSON.stringify({name: 'evil2', image: 'busybox', cpu: 0.1, memory_mb: 64})})
                  ]).then(() => { window.fetchesDone = true; });
                </script>
                </body></html>
                """.formatted(api);
    }
}
