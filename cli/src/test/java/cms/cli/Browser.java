package cms.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's {@code chromium}, driven by its {@code chromedriver}) for the
 * dashboard's browser tests; screenshots go to {@code target/screenshots}.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final ChromeDriverService service;

    /** Skips where Chromium is missing, fails there when real parts are required. */
    static void require() {
        RealParts.require("chromium and chromedriver (apt-get install chromium chromium-driver)",
                () -> Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));
    }

    Browser() {
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000");
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    Browser open(String url) {
        driver.get(url);
        return this;
    }

    /**
     * Logs in as a user does with the URL {@code cms dev} prints: {@code /login?token=…} sets the login cookie and
     * goes on to the overview; fails when the page stays on the login form (the token was refused).
     */
    Browser login(String api, String token) {
        open(api + "/login?token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> !driver.getCurrentUrl().contains("/login"));
        return this;
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /**
     * The text of the first element matching {@code css}, or "" when there is none; read in one script,
     * since the pages redraw their tables as events arrive.
     */
    String text(String css) {
        Object t = driver.executeScript("const e = document.querySelector(arguments[0]); "
                + "return e ? e.innerText.trim() : '';", css);
        return t == null ? "" : t.toString();
    }

    /** Clicks the element, finding it again if the page redrew it in between. */
    void click(String css) {
        await().atMost(Duration.ofSeconds(5)).ignoreException(StaleElementReferenceException.class).until(() -> {
            find(css).click();
            return true;
        });
    }

    void type(String css, String value) {
        await().atMost(Duration.ofSeconds(5)).ignoreException(StaleElementReferenceException.class).until(() -> {
            WebElement e = find(css);
            e.clear();
            e.sendKeys(value);
            return true;
        });
    }

    /** Saves what the page shows now as {@code target/screenshots/NAME.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
