package io.github.yuefu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser: Debian's headless Chromium driven through its chromedriver by Selenium. Both
 * binaries are given by path, so Selenium Manager never runs and nothing is downloaded. Skipped, with a message,
 * when {@code chromium} and {@code chromium-driver} are not installed.
 *
 * <p>Opens the page served by a real generator (tiny random-weight model: its form masks guarantee the shape),
 * picks 月 and 五言绝句, clicks 写, waits for the streamed poem, checks four clauses of five characters and saves
 * screenshots to {@code target/browser-poem-vertical.png} and {@code target/browser-poem-horizontal.png}.
 */
class PageBrowserTest {
    static final Path CHROMIUM = Path.of(System.getProperty("yuefu.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("yuefu.chromedriver", "/usr/bin/chromedriver"));

    /** Held so the level sticks: Selenium warns that it has no DevTools module for this Chromium, which it needs not. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    private static PoemServer server;
    private static ChromeDriver driver;
    private static Path profile;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: needs Debian packages chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        server = PoemServer.start(TinyModels.service("tiny"), "127.0.0.1", 0, ServerLimits.defaults(), null);
        profile = Files.createTempDirectory("yuefu-chromium-");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1200,1040", "--lang=zh-CN",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (driver != null) driver.quit();
        if (server != null) server.close();
        if (profile != null) {
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void writesAFiveCharacterQuatrainCharacterByCharacter() throws IOException {
        driver.get(server.url());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.until(d -> !new Select(d.findElement(By.id("model"))).getOptions().isEmpty());

        driver.findElement(By.cssSelector("input[name=mode][value=start]")).click();
        WebElement opening = driver.findElement(By.id("opening"));
        opening.clear();
        opening.sendKeys("月");
        new Select(driver.findElement(By.id("form"))).selectByVisibleText("五言绝句");
        driver.findElement(By.id("write")).click();

        WebElement poem = driver.findElement(By.id("poem"));
        wait.until(d -> "done".equals(poem.getDomAttribute("data-state")) || "error".equals(poem.getDomAttribute("data-state")));
        assertEquals("done", poem.getDomAttribute("data-state"), "status: " + driver.findElement(By.id("status")).getText());

        // Vertical: one column per clause, punctuation hidden as on a scroll.
        var columns = driver.findElements(By.cssSelector("#poem .clause"));
        assertEquals(4, columns.size(), poem.getText());
        for (WebElement c : columns) assertEquals(5, c.getText().replaceAll("\\s", "").codePointCount(0, c.getText().replaceAll("\\s", "").length()), c.getText());
        assertEquals(24, driver.findElements(By.cssSelector("#poem .ch")).size(), "one element per written character");
        assertTrue(driver.findElement(By.id("copy")).isEnabled());
        assertTrue(driver.findElement(By.id("report")).isDisplayed());
        String writingMode = (String) driver.executeScript("return getComputedStyle(document.getElementById('poem')).writingMode");
        assertEquals("vertical-rl", writingMode);
        screenshot("target/browser-poem-vertical.png");

        driver.findElement(By.id("layout")).click();
        assertEquals("horizontal-tb", driver.executeScript("return getComputedStyle(document.getElementById('poem')).writingMode"));
        // Horizontal: the visible text, punctuation included, is four clauses of five characters.
        String text = poem.getText().replaceAll("\\s", "");
        String[] clauses = text.split("[，。]");
        assertEquals(4, clauses.length, text);
        for (String c : clauses) assertEquals(5, c.codePointCount(0, c.length()), text);
        assertTrue(text.startsWith("月"), text);
        assertEquals(text, poem.getDomAttribute("data-text"));
        screenshot("target/browser-poem-horizontal.png");

        // A refused request shows the server's message instead of a poem.
        opening.clear();
        opening.sendKeys("A");
        driver.findElement(By.id("write")).click();
        wait.until(d -> "error".equals(poem.getDomAttribute("data-state")));
        String status = driver.findElement(By.id("status")).getText();
        assertTrue(status.contains("start") && status.contains("'A'"), status);
    }

    private static void screenshot(String to) throws IOException {
        Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
        Path dest = Path.of(to);
        Files.createDirectories(dest.getParent());
        Files.copy(png, dest, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("browser test: screenshot " + dest.toAbsolutePath());
    }
}
