package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dashboard's job side in a real headless Chromium against a running CMS (broker, resource manager,
 * a host running process nodes, HAProxy, web), with a pod of one ONLINE node: a test job submitted from
 * the pod page ends SUCCEEDED on that node within seconds, and shows on the events page; a job the
 * workload refuses ends FAILED with the workload's message; on a paused pod a job stays QUEUED, counted
 * on the overview from the resource manager's samples, and is aborted from the page; bad input shows a
 * message naming the field and takes no job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobsDashboardIT {

    private static final String POD = "jb";
    private static final String PROGRESS = "#job-progress";

    @AutoClose
    private static TestCluster cms;
    @AutoClose
    private static Browser browser;
    private static JsonHttp api;

    @BeforeAll
    static void start() throws Exception {
        Browser.require();
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
        cms = new TestCluster().withResourceManager().withHost("it-host").withWeb(Map.of())
                .withBalancer(Map.of("CMS_BALANCER", "haproxy"));
        api = cms.api();
        browser = new Browser().login(cms.apiUrl, cms.token);
        JobsIT.pod(cms, POD, "light", "0.5", 1);
    }

    private static void openPodPage() {
        browser.open(cms.apiUrl + "/pods/" + POD);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#conn").equals("live")
                && browser.text("#nodes tbody").contains(POD + "-n1"));
    }

    /** Submits from the page's form and answers the id the page shows once the API took the job. */
    private static String submitFromThePage(String payload, String timeLimit) {
        browser.type("#job-payload", payload);
        browser.type("#job-timeout", timeLimit);
        String before = browser.find(PROGRESS).getAttribute("data-job");
        browser.click("#job-submit");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            String now = browser.find(PROGRESS).getAttribute("data-job");
            return now != null && !now.equals(before);
        });
        String id = browser.find(PROGRESS).getAttribute("data-job");
        assertEquals("job " + id + " submitted", browser.text("#job-message.ok"));
        return id;
    }

    private static void awaitProgress(String status, Duration within) {
        await().atMost(within).until(() -> status.equals(browser.find(PROGRESS).getAttribute("data-status")));
    }

    private static JsonNode job(String id) {
        return api.get("/api/jobs/" + id).json();
    }

    private static int jobsOfThePod() {
        int n = 0;
        for (JsonNode count : api.get("/api/jobs?pod=" + POD).json().get("counts")) {
            n += count.asInt();
        }
        return n;
    }

    /** A screenshot of the whole pod page, its jobs at the bottom included. */
    private static void wholePage(String name) {
        browser.size(1280, 2300);
        browser.screenshot(name);
        browser.size(1280, 1000);
    }

    private static String jobRow(String id) {
        return "#jobs tr[data-job='" + id + "']";
    }

    @Test
    @Order(1)
    void aTestJobFromThePageEndsSucceededOnItsNodeWithinSeconds() {
        openPodPage();
        String id = submitFromThePage("{\"n\": 1}", "");
        long submitted = System.nanoTime();
        awaitProgress("SUCCEEDED", Duration.ofSeconds(5));
        System.out.printf("the pod page showed test job %s SUCCEEDED %.0f ms after the API took it%n", id,
                (System.nanoTime() - submitted) / 1e6);
        JsonNode done = job(id);
        assertEquals("SUCCEEDED", done.get("status").asText());
        String node = done.get("node").asText();
        assertEquals(POD + "-n1", node);
        assertTrue(browser.text(PROGRESS).contains("on " + node), browser.text(PROGRESS));
        assertTrue(browser.text(PROGRESS).contains("\"node\":\"" + node + "\""), "the workload's result is shown");
        await().atMost(Duration.ofSeconds(2)).until(() -> browser.text(jobRow(id)).contains("SUCCEEDED"));
        assertTrue(browser.text(jobRow(id) + " td.node").equals(node));
        assertEquals("1", browser.text(jobRow(id) + " td.num"), "attempt");
        assertTrue(browser.driver.findElements(org.openqa.selenium.By.cssSelector(jobRow(id) + " button.abort"))
                .isEmpty(), "an ended job has no abort button");
        wholePage("pod-job-succeeded");

        browser.open(cms.apiUrl + "/events?pod=" + POD + "&kind=jobs");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.text("#events tbody")
                .contains("JobSucceeded " + id));
        assertTrue(browser.text("#events tbody").contains("on " + node + ", attempt 1 in "),
                browser.text("#events tbody"));
        assertTrue(browser.text("#events tbody").contains("JobQueued " + id));
        assertTrue(browser.text("#events tbody").lines().noneMatch(l -> l.contains("NodeOnline")),
                "only job events, as the address asked");
        browser.screenshot("events-jobs");
    }

    @Test
    @Order(2)
    void aJobTheWorkloadRefusesEndsFailedWithTheWorkloadsMessage() {
        openPodPage();
        String id = submitFromThePage("{\"fail\":\"no thanks\"}", "");
        awaitProgress("FAILED", Duration.ofSeconds(5));
        JsonNode failed = job(id);
        assertEquals("FAILED", failed.get("status").asText());
        String error = failed.get("error").asText();
        assertTrue(error.contains("no thanks"), error);
        assertTrue(browser.text(PROGRESS).contains(error), browser.text(PROGRESS));
        await().atMost(Duration.ofSeconds(2)).until(() -> browser.text(jobRow(id) + " td.outcome").equals(error));
        wholePage("pod-job-failed");
    }

    @Test
    @Order(3)
    void onAPausedPodAJobStaysQueuedIsCountedOnTheOverviewAndIsAbortedFromThePage() {
        assertEquals(200, api.post("/api/pods/" + POD + "/pause", "").status());
        try {
            openPodPage();
            String id = submitFromThePage("{\"n\": 2}", "30");
            awaitProgress("QUEUED", Duration.ofSeconds(5));
            assertTrue(browser.text(PROGRESS).contains("the pod is paused"), browser.text(PROGRESS));

            browser.open(cms.apiUrl + "/");
            String row = "tr[data-pod='" + POD + "']";
            await().atMost(Duration.ofSeconds(5)).until(() -> browser.text(row + " .jobs-queued").equals("1"));
            assertEquals("0", browser.text(row + " .jobs-running"));
            browser.screenshot("overview-job-queued");

            openPodPage();
            await().atMost(Duration.ofSeconds(5)).until(() -> !browser.text(jobRow(id) + " button.abort").isEmpty());
            // a button of the job as it was, as a user might click it while the job's end is on its way
            browser.driver.executeScript("window.staleAbort = document.querySelector(arguments[0]);",
                    jobRow(id) + " button.abort");
            browser.click(jobRow(id) + " button.abort");
            await().atMost(Duration.ofSeconds(5)).until(() -> browser.text("#job-message.ok")
                    .equals("job " + id + " ABORTED"));
            await().atMost(Duration.ofSeconds(5)).until(() -> browser.text(jobRow(id) + " td.outcome")
                    .equals("aborted from the dashboard") && browser.text(jobRow(id)).contains("ABORTED"));
            assertEquals("ABORTED", job(id).get("status").asText());
            assertEquals("aborted from the dashboard", job(id).get("error").asText());
            assertTrue(browser.text(jobRow(id) + " button.abort").isEmpty(), "an ended job has no abort button");
            wholePage("pod-job-aborted");

            browser.driver.executeScript("window.staleAbort.click();");
            JsonHttp.Response again = api.post("/api/jobs/" + id + "/abort", "{}");
            assertEquals(409, again.status(), again::toString);
            await().atMost(Duration.ofSeconds(5)).until(() -> browser.text("#job-message.error")
                    .equals(again.text("error")));
        } finally {
            assertEquals(200, api.post("/api/pods/" + POD + "/resume", "").status());
        }
    }

    @Test
    @Order(4)
    void badInputShowsAMessageNamingTheFieldAndSubmitsNothing() {
        openPodPage();
        int before = jobsOfThePod();
        browser.type("#job-payload", "{\"n\": 1");
        browser.type("#job-timeout", "");
        browser.click("#job-submit");
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.text("#job-message.error")
                .startsWith("payload: not valid JSON"));
        wholePage("pod-job-bad-payload");
        assertEquals(before, jobsOfThePod(), "nothing was submitted");

        browser.type("#job-payload", "{}");
        browser.type("#job-timeout", "0");
        browser.click("#job-submit");
        String expected = api.post("/api/jobs", "{\"pod\":\"" + POD + "\",\"payload\":{},\"timeout_seconds\":\"0\"}")
                .text("error");
        assertTrue(expected.startsWith("timeout_seconds: "), expected);
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.text("#job-message.error").equals(expected));
        assertEquals(before, jobsOfThePod(), "the API took no job");
    }
}
